from django import forms

from ..models import PublicReport

MESSAGE_MAX_LENGTH = 2000


class PublicReportForm(forms.ModelForm):
    """What is wrong (required) and an email address for a reply (optional).

    ``website`` is a trap for spam robots: it is hidden from people (and from screen
    readers), so anything in it means the form was not filled in by a person.
    """

    message = forms.CharField(
        max_length=MESSAGE_MAX_LENGTH,
        error_messages={
            "required": "Enter what is wrong",
            "max_length": f"What is wrong must be {MESSAGE_MAX_LENGTH} characters or fewer",
        },
    )
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    website = forms.CharField(required=False)

    class Meta:
        model = PublicReport
        fields = ["message", "email"]

    def __init__(self, *args, message_label="What is wrong?", message_missing="Enter what is wrong", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].label = message_label
        self.fields["message"].error_messages["required"] = message_missing
        self.fields["email"].label = "Email address (optional)"

    @property
    def is_spam(self):
        return bool(self.data.get("website"))
