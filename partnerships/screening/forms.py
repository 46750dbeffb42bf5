from django import forms

from .flow import YES_NO


class NameForm(forms.Form):
    name = forms.CharField(
        label="What is the arrangement called?",
        max_length=200,
        help_text="A working name will do, for example the name of the group or the project.",
        error_messages={
            "required": "Enter the name of the arrangement",
            "max_length": "The name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the name of the arrangement")
        return name


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=YES_NO, error_messages={"required": "Select yes or no"})
