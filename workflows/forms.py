"""Forms of the approval workflow's steps: what each decision asks for."""

from django import forms


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
