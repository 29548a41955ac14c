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
)
from thrive_edi.forms import UKDateField, gds_helper


def comment_field(label: str, rows: int, **kwargs) -> forms.CharField:
    """A comment's length of text, its limit said in the hint."""
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=COMMENT_MAX,
        label=label,
        help_text=limit_hint(COMMENT_MAX),
        **kwargs,
    )


class CommentForm(forms.Form):
    text = comment_field("Comment", rows=3)


SEEN_BY_THE_TEAM_HINT = "The owner and collaborators will see this."

# The wording of the assessment's own sign-off and request for changes.
SIGN_OFF_DECLARATION = (
    "I have reviewed this assessment in full. I am satisfied that it gives due regard to the "
    "Public Sector Equality Duty and to the Thrive LDN EDI Framework, and I sign it off."
)
CHANGES_LABEL = "What needs to change?"


class DeclarationForm(forms.Form):
    """The declaration an approver ticks to sign a record off. Each record gives its own wording
    (``label``) and the message shown when it is not ticked (``message``)."""

    declaration = forms.BooleanField()

    def __init__(self, *args, label: str, message: str, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["declaration"]
        field.label = label
        field.error_messages = {**field.error_messages, "required": message}
        self.helper = gds_helper(Field.checkbox("declaration"))


class ReasonForm(forms.Form):
    """Why an approver returns a record to the people who wrote it: the question (``label``) and
    the message shown when no reason is given (``message``) are the record's own."""

    reason = forms.CharField(widget=forms.Textarea, max_length=COMMENT_MAX)

    def __init__(
        self,
        *args,
        label: str,
        message: str,
        rows: int = 5,
        label_size: str = Size.MEDIUM,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.help_text = f"{SEEN_BY_THE_TEAM_HINT} {limit_hint(COMMENT_MAX)}"
        field.error_messages = {**field.error_messages, "required": message}
        field.widget.attrs["rows"] = rows
        self.helper = gds_helper(Field.textarea("reason", rows=rows, label_size=label_size))


class WithdrawForm(forms.Form):
    reason = comment_field(
        "Why is it being withdrawn?",
        rows=4,
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
