"""The import's forms: the upload (with the back-fill declaration) and the column mapping."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

from partnerships.backfill.services import Approval
from partnerships.backfill.views import can_backfill

from . import mapping
from .columns import COLUMNS
from .reader import size_problem

LEAVE_OUT = ""


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV or Excel (.xlsx) file laid out like the template, with one entry per row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    create_partners = forms.BooleanField(
        label="Create partner organisations that don't exist yet",
        required=False,
        help_text=(
            "Without this, a partner organisation the register does not know stops the import and is listed, "
            "so that a misspelling is not saved as a new organisation. Created ones get the sector 'Other'."
        ),
    )

    backfill = forms.BooleanField(
        label="These partnerships were approved before the portal",
        required=False,
        help_text=(
            "Record every row whose status is active, under review, exiting or closed as approved before the "
            "portal, with the date and body below, and publish it. Only register managers may. Proposals in the "
            "file stay drafts for the approval workflow. Each record goes into the decision log with your name."
        ),
    )
    approved_on = forms.DateField(
        label="Date they were approved",
        required=False,
        widget=AdminDateInput,
        help_text="Needed only for the back-fill. The date of the meeting or decision.",
        error_messages={"invalid": "Enter the date they were approved as a real date"},
    )
    approved_by = forms.CharField(
        label="Who approved them",
        required=False,
        max_length=255,
        help_text="Needed only for the back-fill. For example Cabinet, or Management Board.",
    )
    minute_reference = forms.CharField(label="Minute reference (optional)", required=False, max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not can_backfill(user):
            for name in ("backfill", "approved_on", "approved_by", "minute_reference"):
                del self.fields[name]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("backfill"):
            return cleaned
        approved_on = cleaned.get("approved_on")
        approved_by = " ".join((cleaned.get("approved_by") or "").split())
        if approved_on is None and "approved_on" not in self.errors:
            self.add_error("approved_on", "Enter the date they were approved")
        elif approved_on is not None and approved_on > timezone.localdate():
            self.add_error("approved_on", "The date they were approved must be today or in the past")
        if not approved_by:
            self.add_error("approved_by", "Enter who approved them, for example Cabinet")
        if not self.errors:
            minute = " ".join((cleaned.get("minute_reference") or "").split())
            cleaned["approval"] = Approval(approved_on, approved_by, minute)
        return cleaned


class MappingForm(forms.Form):
    """One question per heading the import did not know: which register column it holds.

    Each is offered the closest match, to confirm or change. Every required column must
    end up held by some heading, and no column by two.
    """

    def __init__(self, *args, headings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.headings = [heading for heading in headings if heading["field"] is None]
        self.known = {heading["field"]: heading for heading in headings if heading["field"]}
        choices = [(LEAVE_OUT, "Leave this column out")] + [
            (column.field, column.header) for column in COLUMNS if column.field not in self.known
        ]
        for index, heading in enumerate(self.headings):
            suggestion = mapping.suggest(heading["heading"], taken=self.known)
            heading["suggestion"] = mapping.header(suggestion) if suggestion else ""
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f'Column {heading["letter"]}: "{heading["heading"]}"',
                choices=choices,
                required=False,
                initial=suggestion,
                help_text=(
                    f"Suggested: {heading['suggestion']}" if suggestion else "No register column looks like this one."
                ),
            )

    def bound_headings(self):
        return [(heading, self[f"column_{index}"]) for index, heading in enumerate(self.headings)]

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for index, heading in enumerate(self.headings):
            name = f"column_{index}"
            field_name = cleaned.get(name) or LEAVE_OUT
            if field_name and field_name in chosen:
                other = chosen[field_name]
                self.add_error(
                    name,
                    f'Column {other["letter"]} ("{other["heading"]}") already holds {mapping.header(field_name)}; '
                    "choose a different column for this one, or leave it out",
                )
            elif field_name:
                chosen[field_name] = heading
        missing = mapping.missing_required(set(chosen) | set(self.known))
        if missing:
            names = ", ".join(column.header for column in missing)
            raise forms.ValidationError(
                f"Every required column must come from the file. No column holds: {names}. "
                "Choose the file's column for each, or add it to the spreadsheet and upload it again."
            )
        cleaned["choices"] = {heading["key"]: chosen_key for heading, chosen_key in self._choices(cleaned)}
        return cleaned

    def _choices(self, cleaned):
        for index, heading in enumerate(self.headings):
            yield heading, cleaned.get(f"column_{index}") or LEAVE_OUT
