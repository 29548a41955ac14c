"""The screening's questions, and the approver's confirmation or return of its decision."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.common import YES_NO_CHOICES, limit_hint, textarea
from assessments.models import COMMENT_MAX, LONG_TEXT_MAX, Assessment, Reach
from thrive_edi.forms import gds_helper

# The framework's guidance for each question, shown as its hint.
GUIDANCE = {
    "who": "Who takes part in it, uses it, works on it or lives with its results, directly or indirectly.",
    "changes": (
        "Think of who can reach it and how (access), what it is like to take part or be served "
        "(experience) and what changes for people because of it (outcomes)."
    ),
    "groups": (
        "Tick every group the activity could plausibly affect, for better or worse. The EDI Framework "
        "guide says what to consider for each group. In a proportionate assessment, only these groups "
        "are assessed in depth."
    ),
    "crisis": "A crisis response gets a rapid assessment, to be reviewed within three months.",
    "decision": (
        "Full: the activity could change access, experience or outcomes for many groups, or at scale. "
        "Proportionate: it plausibly affects a few groups; only they are assessed in depth. "
        "No assessment needed: it cannot plausibly affect anyone's access, experience or outcomes."
    ),
    "justification": (
        "Required when no assessment is needed: the record the Advisory Board reads. "
        "Say why no group's access, experience or outcomes can change."
    ),
}


def _yes_no(label: str, hint: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=hint,
        required=False,
        choices=YES_NO_CHOICES,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        empty_value=None,
    )


def _text(label: str, hint: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class GroupsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, characteristic) -> str:
        return characteristic.name


class ScreeningForm(forms.Form):
    """Partial answers are kept; what is missing is said when the screening is sent."""

    who = _text("Who does the activity reach?", GUIDANCE["who"])
    changes = _yes_no("Could it change access, experience or outcomes for anyone?", GUIDANCE["changes"])
    changes_note = _text("How? (optional)", rows=2)
    groups = GroupsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which groups could it plausibly affect?",
        help_text=GUIDANCE["groups"],
    )
    reach = forms.ChoiceField(
        label="How many people does it reach?",
        choices=Reach.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    crisis = _yes_no("Is it a response to a crisis?", GUIDANCE["crisis"])
    decision = forms.ChoiceField(
        label="What does the activity need?",
        help_text=GUIDANCE["decision"],
        choices=Assessment.Scope.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    justification = _text("Why is this the right decision?", GUIDANCE["justification"])

    def __init__(self, *args, characteristics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = characteristics
        for name in ("who", "changes_note", "justification"):
            self.fields[name].widget.attrs.setdefault("aria-describedby", "")
        self.helper = gds_helper(
            textarea("who", rows=3),
            Field.radios("changes", legend_size=Size.SMALL, inline=True),
            textarea("changes_note", rows=2),
            Field.checkboxes("groups", legend_size=Size.SMALL, small=True),
            Field.radios("reach", legend_size=Size.SMALL),
            Field.radios("crisis", legend_size=Size.SMALL, inline=True),
            Field.radios("decision", legend_size=Size.SMALL),
            textarea("justification", rows=3),
        )

    @staticmethod
    def initial_from(screening) -> dict:
        yes_no = {True: "yes", False: "no", None: None}
        return {
            "who": screening.who,
            "changes": yes_no[screening.changes],
            "changes_note": screening.changes_note,
            "groups": list(screening.groups.all()),
            "reach": screening.reach,
            "crisis": yes_no[screening.crisis],
            "decision": screening.decision,
            "justification": screening.justification,
        }


class ConfirmScreeningForm(forms.Form):
    """The approver's confirmation; of a "no assessment needed" decision, also its sign-off."""

    declaration = forms.BooleanField(
        label=(
            "I have read this screening. I am satisfied that the activity cannot plausibly change "
            "anyone's access, experience or outcomes, and I sign off that no assessment is needed."
        ),
        error_messages={"required": "Confirm the declaration to sign off"},
    )

    def __init__(self, *args, signs_off: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not signs_off:
            del self.fields["declaration"]
        self.helper = gds_helper(*([Field.checkbox("declaration")] if signs_off else []))


class ReturnScreeningForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX,
        label="Why are you returning it?",
        help_text="The owner and collaborators will see this. " + limit_hint(COMMENT_MAX),
        error_messages={"required": "Say why the screening is returned"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs.setdefault("aria-describedby", "")
        self.helper = gds_helper(Field.textarea("reason", rows=4, label_size=Size.SMALL))
