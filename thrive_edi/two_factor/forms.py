from crispy_forms_gds.layout import Button, Field
from django import forms

from thrive_edi.forms import gds_helper

NO_CODE = "Enter the code from your authenticator app, or one of your recovery codes"
NO_SET_UP_CODE = "Enter the 6-digit code that your authenticator app shows"
WRONG_CODE = "The code is not right. Enter the code your app shows now, or one of your recovery codes"
WRONG_SET_UP_CODE = "The code is not right. Enter the 6-digit code your app shows now for Thrive EDI"
TOO_MANY_TRIES = "Too many wrong codes in a row. Wait until {time}, then try again"


class CodeForm(forms.Form):
    """The code asked for after the password."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        error_messages={"required": NO_CODE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.helper = gds_helper(Field.text("code", field_width=10), Button("submit", "Continue"))


class SetUpForm(forms.Form):
    """The first code from a newly added authenticator, which confirms it."""

    code = forms.CharField(
        label="Code from your app",
        max_length=20,
        help_text="The 6-digit code it shows now for Thrive EDI.",
        error_messages={"required": NO_SET_UP_CODE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = gds_helper(Field.text("code", field_width=5), Button("submit", "Confirm"))
