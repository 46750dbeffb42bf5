"""What a register manager or lead officer gives for a bulk change."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.widgets import AdminDateInput

from partnerships.permissions import heads_of_service


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return get_user_display_name(obj)


class LeadOfficerForm(forms.Form):
    lead_officer = PersonChoiceField(
        label="New lead officer",
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
        error_messages={"required": "Choose the new lead officer", "invalid_choice": "Choose someone who can sign in"},
    )

    def changes(self):
        return {"lead_officer": self.cleaned_data["lead_officer"]}


class HeadOfServiceForm(forms.Form):
    head_of_service = PersonChoiceField(
        label="New Head of Service",
        queryset=get_user_model().objects.none(),
        help_text="Chosen from the Heads of Service group; never an entry's own lead officer.",
        error_messages={
            "required": "Choose the new Head of Service",
            "invalid_choice": "Choose a Head of Service from the Heads of Service group.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head_of_service"].queryset = heads_of_service()

    def changes(self):
        return {"head_of_service": self.cleaned_data["head_of_service"]}


def _date(label, help_text):
    return forms.DateField(
        label=label,
        required=False,
        widget=AdminDateInput,
        help_text=help_text,
        error_messages={"invalid": f"Enter the {label.lower()} as a real date"},
    )


class ReviewDatesForm(forms.Form):
    next_review_due = _date("Next annual review due", "Leave empty to keep each entry's own date.")
    next_progress_report_due = _date("Next progress report due", "Leave empty to keep each entry's own date.")

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError("Enter a next annual review date, a next progress report date, or both")
        return cleaned

    def changes(self):
        return {name: day for name, day in self.cleaned_data.items() if day}


class ExportForm(forms.Form):
    export_format = forms.ChoiceField(
        label="Format",
        choices=[("xlsx", "Excel spreadsheet (XLSX)"), ("csv", "Comma-separated values (CSV)")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
