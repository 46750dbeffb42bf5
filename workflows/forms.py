"""Forms of the approval workflow: what each decision asks for, and naming a deputy."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.utils import get_user_display_name

from .models import HeadOfServiceDeputy


class OptionalCommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Optional."
    )


class RequiredCommentForm(forms.Form):
    comment = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what the proposer should do: they receive this comment by email.",
    )


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label="Reason for declining",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Declining is final: the proposal is kept on record but cannot be submitted again.",
    )


class BoardApprovalForm(forms.Form):
    minute_reference = forms.CharField(
        label="Minute reference",
        max_length=100,
        required=False,
        help_text="The Management Board minute that records the decision, if there is one.",
    )
    comment = forms.CharField(
        label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Optional."
    )


class DeputyForm(forms.ModelForm):
    class Meta:
        model = HeadOfServiceDeputy
        fields = ["deputy"]

    def __init__(self, *args, head, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        field.required = False
        field.queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(pk=head.pk)
            .order_by("first_name", "last_name", "username")
        )
        field.label_from_instance = get_user_display_name
        field.help_text = "Who may endorse proposals for you. Leave empty to endorse them yourself only."
