from crispy_forms_gds.layout import Field, Size
from django import forms

from pledges.models import Commitment
from thrive_edi.forms import gds_helper

NARRATIVE_MAX = 10000
# The report's declarations, each ticked in a ``DeclarationForm``, and the message when it is not.
SIGN_OFF_DECLARATION = "I have read the report and it is ready to sign off"
DECLARATION_MESSAGE = "Confirm that the report is ready to sign off"
PUBLISH_DECLARATION = (
    "Anyone may read the whole report, with its narrative and the titles of the work it lists"
)
PUBLISH_MESSAGE = "Confirm that the whole report may be read by anyone"


class CommitmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        return f"{obj.version.pledge.name}: {obj.number}. {obj.name}"


class CommitmentsForm(forms.Form):
    """The commitments an assessment serves, and those each of its actions serves."""

    commitments = CommitmentChoiceField(
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Commitments the assessment serves",
        help_text="Select every commitment this piece of work serves.",
    )

    def __init__(self, *args, commitments, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitments"].queryset = commitments
        layout = [Field.checkboxes("commitments", legend_size=Size.MEDIUM)]
        self.action_fields = []
        for number, action in enumerate(actions, start=1):
            name = f"action-{action.pk}"
            self.fields[name] = CommitmentChoiceField(
                queryset=commitments,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=f"Action {number}: {action.action[:120] or 'no description yet'}",
                help_text="Leave empty if it serves the same commitments as the assessment.",
            )
            layout.append(Field.checkboxes(name, legend_size=Size.SMALL))
            self.action_fields.append((action.pk, name))
        self.helper = gds_helper(*layout)

    def actions_chosen(self) -> dict[int, list[Commitment]]:
        return {pk: list(self.cleaned_data[name]) for pk, name in self.action_fields}


class NarrativeForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=NARRATIVE_MAX,
        label="Narrative",
        help_text=(
            f"You can enter up to {NARRATIVE_MAX:,} characters. "
            "Leave it empty to show only what the record says."
        ),
    )

    def __init__(self, *args, label: str = "Narrative", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.helper = gds_helper(Field.textarea("text", rows=8, label_size=Size.MEDIUM))


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(coerce=int, label="Financial year")

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year}/{(year + 1) % 100:02d}") for year in years]
        self.helper = gds_helper(Field("year"))
