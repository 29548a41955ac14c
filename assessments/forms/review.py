"""Forms of the review, sign-off, withdrawal and follow-up of actions."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.common import (
    limit_hint,
    textarea,
)
from assessments.models import (
    COMMENT_MAX,
    Action,
    Assessment,
)
from assessments.signals import sign_off_fields_requested
from thrive_edi.forms import UKDateField, gds_helper


class CommentForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=COMMENT_MAX,
        label="Comment",
        help_text=limit_hint(COMMENT_MAX),
    )


class RequestChangesForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENT_MAX,
        label="What needs to change?",
        help_text="The owner and collaborators will see this. " + limit_hint(COMMENT_MAX),
        error_messages={"required": "Say what needs to change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=5, label_size=Size.MEDIUM))


class SignOffForm(forms.Form):
    """The declaration, and the fields other apps add (``sign_off_fields_requested``)."""

    declaration = forms.BooleanField(
        label=(
            "I have reviewed this assessment in full. I am satisfied that it gives due regard to the "
            "Public Sector Equality Duty and to the Thrive LDN EDI Framework, and I sign it off."
        ),
        error_messages={"required": "Confirm the declaration to sign off"},
    )

    def __init__(self, *args, assessment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_names: list[str] = []
        if assessment is not None:
            for _receiver, fields in sign_off_fields_requested.send(sender=Assessment, assessment=assessment):
                self.fields.update(fields)
                self.extra_names += list(fields)
        self.helper = gds_helper(*(Field(name) for name in self.extra_names), Field.checkbox("declaration"))

    def choices(self) -> dict:
        """What the approver chose in the added fields, by name (once the form is valid)."""
        return {name: self.cleaned_data.get(name) for name in self.extra_names}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX,
        label="Why is it being withdrawn?",
        help_text=limit_hint(COMMENT_MAX),
        error_messages={"required": "Say why the assessment is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=4, label_size=Size.MEDIUM))


class ActionFollowUpForm(forms.ModelForm):
    due_date = UKDateField(label="Due date")

    class Meta:
        model = Action
        fields = ["status", "progress_notes", "due_date"]
        labels = {"status": "Status", "progress_notes": "Progress notes"}
        widgets = {
            "status": forms.RadioSelect,
            "progress_notes": forms.Textarea(attrs={"rows": 5, "aria-describedby": ""}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            textarea("progress_notes", rows=5),
            Field("due_date", legend_size=Size.SMALL),
        )
