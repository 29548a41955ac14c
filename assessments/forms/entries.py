"""Forms of the rows beyond the impact grid: combinations of characteristics, principles,
duties, participation and actions.
"""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.common import (
    SharedModelChoiceField,
    SharedModelMultipleChoiceField,
    textarea,
    use_shared_choices,
)
from assessments.forms.rows import IMPACT_LABELS, RowForm, row_formset, yes_no_field, yes_no_initial
from assessments.models import (
    Action,
    DutyContribution,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
)
from frameworks.scales import Scale
from thrive_edi.forms import QuickSelect, UKDateField


class CharacteristicsField(SharedModelMultipleChoiceField):
    def label_from_instance(self, characteristic) -> str:
        return characteristic.name


class IntersectionalImpactForm(RowForm):
    scale_fields = {"impact": Scale.IMPACT}
    characteristics = CharacteristicsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Characteristics in this combination",
        help_text="Choose two or more.",
    )

    class Meta:
        model = IntersectionalImpact
        fields = ["characteristics", "description", "impact", "evidence"]
        labels = {"description": "Who are they? (optional)", **IMPACT_LABELS}
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, characteristics=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_shared_choices(self.fields["characteristics"], characteristics)

    def layout(self) -> list:
        return [
            Field.checkboxes("characteristics", legend_size=Size.SMALL, small=True),
            Field.text("description"),
            Field.radios("impact", legend_size=Size.SMALL, small=True),
            textarea("evidence", rows=3),
            Field.checkbox("DELETE", small=True),
        ]


class NarratedRatingForm(RowForm):
    """A row rated on one scale (its only ``scale_fields``), with a narrative saying how."""

    class Meta:
        fields = ["narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}

    def layout(self) -> list:
        (scale,) = self.scale_fields
        return [
            Field.radios(scale, legend_size=Size.SMALL, small=True, inline=True),
            textarea("narrative", rows=3),
        ]


class PrincipleAlignmentForm(NarratedRatingForm):
    scale_fields = {"alignment": Scale.PRINCIPLE_ALIGNMENT}

    class Meta(NarratedRatingForm.Meta):
        model = PrincipleAlignment
        fields = ["alignment", "narrative"]
        labels = {
            "alignment": "How well does the activity align?",
            "narrative": "How, and what would make it stronger?",
        }


class DutyContributionForm(NarratedRatingForm):
    scale_fields = {"contribution": Scale.DUTY_CONTRIBUTION}

    class Meta(NarratedRatingForm.Meta):
        model = DutyContribution
        fields = ["contribution", "narrative"]
        labels = {"contribution": "Contribution", "narrative": "How?"}


class ParticipationEntryForm(RowForm):
    scale_fields = {"level": Scale.PARTICIPATION}
    paid = yes_no_field("Were they paid for their time?")
    when = UKDateField(required=False, label="When")

    class Meta:
        model = ParticipationEntry
        fields = ["who", "how", "when", "level", "paid", "what_changed"]
        labels = {
            "who": "Who took part (a group or a partner)",
            "how": "How did they take part?",
            "level": "Level of involvement",
            "what_changed": "What changed because of them?",
        }
        widgets = {"what_changed": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        yes_no_initial(self, "paid")

    def layout(self) -> list:
        return [
            Field.text("who"),
            Field.text("how"),
            Field("when", legend_size=Size.SMALL),
            Field.radios("level", legend_size=Size.SMALL, small=True),
            Field.radios("paid", legend_size=Size.SMALL, small=True, inline=True),
            textarea("what_changed", rows=3),
            Field.checkbox("DELETE", small=True),
        ]


class ActionForm(RowForm):
    due_date = UKDateField(required=False, label="Due date")
    # Selects drawn without a template for each option: every action lists every person.
    owner = SharedModelChoiceField(
        queryset=None, required=False, label="Owner", empty_label="Choose a person", widget=QuickSelect
    )
    principle = SharedModelChoiceField(
        queryset=None,
        required=False,
        label="Principle it advances (optional)",
        empty_label="None",
        widget=QuickSelect,
    )
    intersectional_impacts = SharedModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Combinations this action addresses",
    )
    characteristics = CharacteristicsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Characteristics this action addresses",
    )

    class Meta:
        model = Action
        fields = [
            "issue",
            "action",
            "characteristics",
            "intersectional_impacts",
            "principle",
            "owner",
            "due_date",
            "measure",
            "status",
        ]
        labels = {
            "issue": "Issue",
            "action": "Action",
            "principle": "Principle it advances (optional)",
            "measure": "How will you know it worked?",
            "status": "Status",
            "intersectional_impacts": "Combinations this action addresses",
        }
        widgets = {
            "issue": forms.Textarea(attrs={"rows": 2}),
            "action": forms.Textarea(attrs={"rows": 3}),
            "measure": forms.Textarea(attrs={"rows": 2}),
            "intersectional_impacts": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args, characteristics=None, combinations=None, principles=None, people=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        use_shared_choices(self.fields["characteristics"], characteristics)
        use_shared_choices(self.fields["intersectional_impacts"], combinations)
        use_shared_choices(self.fields["principle"], principles)
        use_shared_choices(self.fields["owner"], people)
        self.fields["status"].required = False

    def clean_status(self):
        return self.cleaned_data.get("status") or Action.Status.OPEN

    def layout(self) -> list:
        return [
            textarea("issue", rows=2),
            textarea("action", rows=3),
            Field.checkboxes("characteristics", legend_size=Size.SMALL, small=True),
            Field.checkboxes("intersectional_impacts", legend_size=Size.SMALL, small=True),
            Field.select("principle"),
            Field.select("owner"),
            Field("due_date", legend_size=Size.SMALL),
            textarea("measure", rows=2),
            Field.radios("status", legend_size=Size.SMALL, small=True, inline=True),
            Field.checkbox("DELETE", small=True),
        ]


IntersectionalFormSet = row_formset(IntersectionalImpactForm, can_delete=True, fixed=False)
PrincipleAlignmentFormSet = row_formset(PrincipleAlignmentForm, can_delete=False, fixed=True)
DutyFormSet = row_formset(DutyContributionForm, can_delete=False, fixed=True)
ParticipationFormSet = row_formset(ParticipationEntryForm, can_delete=True, fixed=False)
ActionFormSet = row_formset(ActionForm, can_delete=True, fixed=False)
