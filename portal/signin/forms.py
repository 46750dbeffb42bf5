from django import forms

from portal.signin import devices


class CodeForm(forms.Form):
    """The second step: a code from the authenticator app, or one recovery code."""

    code = forms.CharField(
        label="Security code",
        max_length=40,
        error_messages={"required": "Enter the security code from your authenticator app"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = devices.verify(self.user, self.cleaned_data["code"])
        if self.device is None:
            raise forms.ValidationError(
                "The security code is not right. Enter the 6-digit code your authenticator app shows now, "
                "or one of your recovery codes"
            )
        return self.cleaned_data["code"]


class SetUpForm(forms.Form):
    """Confirms a new authenticator by one code it has made."""

    code = forms.CharField(
        label="Security code",
        max_length=10,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = devices.normalise(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6 and self.device.verify_token(code)):
            raise forms.ValidationError(
                "The security code is not right. Enter the 6-digit code your authenticator app shows now"
            )
        return code
