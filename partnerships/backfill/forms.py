"""The register manager's statement that an entry was approved before the portal."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

from .services import Approval


class BackfillForm(forms.Form):
    approved_on = forms.DateField(
        label="Date it was approved",
        widget=AdminDateInput,
        help_text="The date of the meeting or decision, for example 12 March 2019.",
        error_messages={
            "required": "Enter the date it was approved",
            "invalid": "Enter the date it was approved as a real date",
        },
    )
    approved_by = forms.CharField(
        label="Who approved it",
        max_length=255,
        help_text="The body or meeting that approved it, for example Cabinet or Management Board.",
        error_messages={"required": "Enter who approved it, for example Cabinet"},
    )
    minute_reference = forms.CharField(
        label="Minute reference (optional)",
        max_length=100,
        required=False,
        help_text="For example 45, or 2019/45.",
    )

    def clean_approved_on(self):
        approved_on = self.cleaned_data["approved_on"]
        if approved_on > timezone.localdate():
            raise forms.ValidationError("The date it was approved must be today or in the past")
        return approved_on

    def clean_approved_by(self):
        approved_by = " ".join(self.cleaned_data["approved_by"].split())
        if not approved_by:
            raise forms.ValidationError("Enter who approved it, for example Cabinet")
        return approved_by

    def clean_minute_reference(self):
        return " ".join(self.cleaned_data["minute_reference"].split())

    def approval(self):
        data = self.cleaned_data
        return Approval(data["approved_on"], data["approved_by"], data["minute_reference"])
