"""Forms of the rows of the structured parts of a section: impacts, combinations, principles,
duties, participation and actions, each row a model form in a formset.

Like the questions, rows accept partial answers; ``assessments.rules`` says what is missing.
"""

import copy
import functools

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BaseModelFormSet, modelformset_factory
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from assessments.forms.common import (
    MAX_ROWS,
    YES_NO_CHOICES,
    SharedModelChoiceField,
    SharedModelMultipleChoiceField,
    textarea,
    use_shared_choices,
)
from assessments.forms.lean import hidden_html, radios_revealing, row_html
from assessments.models import (
    Action,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    SubgroupRating,
)
from assessments.thresholds import IMPACTS_NEEDING_JUSTIFICATION, IMPACTS_NEEDING_MITIGATION
from frameworks.models import FrameworkVersion
from frameworks.scales import Scale
from thrive_edi.forms import QuickSelect, UKDateField, escaped


class FixedChoices(BaseChoiceIterator):
    """Options that every row of a formset shares: copies of a field keep the same list."""

    def __init__(self, choices):
        self.choices = list(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _yes_no_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=FixedChoices(YES_NO_CHOICES),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=None,
    )


def _versioned_fields(form_class, version: FrameworkVersion) -> dict[str, forms.Field]:
    """The form's fields with the version's wording of its scales, made once for each wording."""
    wording = tuple((name, tuple(version.choices(scale))) for name, scale in form_class.scale_fields.items())
    return _fields_worded(form_class, wording)


# Keyed by the wording itself rather than by the version: a draft version's wording may change
# between two requests, and versions that share a wording (most do) share the fields.
@functools.lru_cache(maxsize=64)
def _fields_worded(form_class, wording: tuple) -> dict[str, forms.Field]:
    fields = copy.deepcopy(form_class.base_fields)
    for name, choices in wording:
        field = fields[name]
        field.choices = FixedChoices(list(choices))
        field.widget = forms.RadioSelect(choices=field.choices)
        field.required = False
    for field in fields.values():
        if isinstance(field.widget, forms.Textarea):
            # crispy-forms-gds adds the character count's id to this, expecting one there.
            field.widget.attrs.setdefault("aria-describedby", "")
    return fields


class RowForm(forms.ModelForm):
    """A row of a structured section; ``version`` supplies the wording of the scales."""

    scale_fields: dict[str, Scale] = {}

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        self.base_fields = _versioned_fields(type(self), version)  # what BaseForm copies
        super().__init__(*args, **kwargs)
        self.version = version
        self.plain_labels: dict[str, str] = {}  # the labels as written, before ``name_group``

    def layout(self) -> list:
        """The crispy layout of the row's fields."""
        raise NotImplementedError

    def lean_html(self):
        """The row as the section page draws it: rows come many to a page (``forms.lean``)."""
        return row_html(self)

    def name_group(self, group: str) -> None:
        """Add the row's name to each field's label, for those who hear the fields one by one:
        a page of rows otherwise reads as the same few questions again and again."""
        for name, field in self.fields.items():
            if field.label and not isinstance(field.widget, forms.HiddenInput):
                self.plain_labels[name] = field.label
                field.label = SafeString(
                    f'{escaped(field.label)}<span class="govuk-visually-hidden"> ({escaped(group)})</span>'
                )


def _yes_no_initial(form: forms.ModelForm, name: str) -> None:
    # Bound forms need it too: it is what a posted "yes" is compared with to see a change.
    value = getattr(form.instance, name)
    if value is not None:
        form.initial[name] = "yes" if value else "no"


RELEVANCE_CHOICES = [("yes", "Yes, assess it in depth"), ("no", "No, not relevant")]


class ImpactRatingForm(RowForm):
    scale_fields = {"impact": Scale.IMPACT, "confidence": Scale.EVIDENCE_CONFIDENCE}
    relevant = forms.TypedChoiceField(
        label="Could the activity affect this group?",
        required=False,
        choices=FixedChoices(RELEVANCE_CHOICES),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=None,
    )
    data_gap = _yes_no_field("Is there a gap in the data for this group?")
    by_subgroups = forms.TypedChoiceField(
        label="Assess the group by its finer groups?",
        help_text="Optional: each of them then has a row of its own.",
        required=False,
        choices=FixedChoices([("yes", "Yes"), ("no", "No")]),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=False,
    )

    class Meta:
        model = ImpactRating
        fields = [
            "by_subgroups",
            "relevant",
            "not_relevant_reason",
            "impact",
            "evidence",
            "confidence",
            "data_gap",
            "data_gap_note",
            "mitigation",
            "justification",
        ]
        labels = {
            "not_relevant_reason": "Why not, in a line?",
            "impact": "Likely impact",
            "evidence": "Evidence",
            "confidence": "How confident is the evidence?",
            "data_gap_note": "What data is missing, and how will you fill the gap?",
            "mitigation": "How will a negative impact be mitigated?",
            "justification": (
                "If the activity goes ahead despite a significant negative impact, "
                "the objective justification"
            ),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["evidence", "data_gap_note", "mitigation", "justification"]
        }

    def __init__(self, *args, breakdowns: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _yes_no_initial(self, "data_gap")
        if self.instance.is_relevant is not None:  # a chosen impact counts as relevant
            self.initial["relevant"] = "yes" if self.instance.is_relevant else "no"
        # The finer groups' rows drawn under the choice to assess by them: (category, [(element
        # id, form)]), given by the section page (``kinds.SubgroupKind.nest``).
        self.breakdown_rows: list[tuple[str, list]] = []
        self.breakdown_id = ""  # the id of the block holding them
        breakdown = (breakdowns or {}).get(self.instance.characteristic_id)
        if breakdown is None:  # offered only where the framework and the screening allow it
            del self.fields["by_subgroups"]
        else:
            name = self.instance.characteristic.name
            self.fields["by_subgroups"].label = f"Assess {name.lower()} by the {breakdown}?"
            self.initial["by_subgroups"] = "yes" if self.instance.by_subgroups else "no"

    def summary_line(self) -> str:
        """The group's answers so far, in a line: what the page shows before it is opened."""
        rating = self.instance
        if rating.is_relevant is None:
            return "Not decided yet"
        if not rating.is_relevant:
            return f"Not relevant: {rating.not_relevant_reason or 'no reason given yet'}"
        impact = self.version.labels(Scale.IMPACT).get(rating.impact, "") if rating.impact else ""
        return f"Relevant: {impact.lower() + ' impact' if impact else 'impact not rated yet'}"

    # The questions a rating calls for: shown only then (the page's script shows them as the
    # rating is chosen; without it, when the page comes back from a save).
    REVEALED = {"mitigation": IMPACTS_NEEDING_MITIGATION, "justification": IMPACTS_NEEDING_JUSTIFICATION}

    @classmethod
    def fixed_layout(cls) -> list:
        """The layout every group's row shares."""
        return [
            Field.radios("relevant", legend_size=Size.SMALL, small=True),
            Field.text("not_relevant_reason"),
            Field.radios("impact", legend_size=Size.SMALL, small=True),
            textarea("evidence", rows=3),
            Field.radios("confidence", legend_size=Size.SMALL, small=True),
            Field.radios("data_gap", legend_size=Size.SMALL, small=True, inline=True),
            textarea("data_gap_note", rows=2),
            textarea("mitigation", rows=3),
            textarea("justification", rows=3),
        ]

    def layout(self) -> list:
        by_subgroups = (
            [Field.radios("by_subgroups", legend_size=Size.SMALL, small=True)] if self.breaks_down else []
        )
        return [*_layout_of(type(self)), *by_subgroups]

    @property
    def breaks_down(self) -> bool:
        """Whether the group may be assessed by its finer groups."""
        return "by_subgroups" in self.fields

    def lean_html(self):
        """The relevance choice, revealing a one-line reason or the questions in depth: a page of
        groups opens as a short list, without JavaScript everything shows (GOV.UK radios)."""
        relevance, reason, *in_depth = self.layout()
        hidden = "".join(hidden_html(field) for field in self.hidden_fields())
        revealed = {"yes": self._in_depth_html(in_depth), "no": row_html(self, [reason], hidden=False)}
        return SafeString(hidden + radios_revealing(self, relevance, revealed))

    def _in_depth_html(self, items):
        by_subgroups = [item for item in items if item.fields[0] == "by_subgroups"]
        items = [item for item in items if item.fields[0] != "by_subgroups"]
        always = [item for item in items if item.fields[0] not in self.REVEALED]
        parts = [row_html(self, always, hidden=False)]
        impact_field = self["impact"]
        impact = str(impact_field.value() or "")
        for item in items:
            name = item.fields[0]
            if name not in self.REVEALED:
                continue
            needs = sorted(self.REVEALED[name])
            shown = "" if impact in needs or self[name].errors else " hidden"
            parts.append(
                f'<div class="thrive-reveal" data-reveal-when="{escape(impact_field.html_name)}" '
                f'data-reveal-values="{escape(" ".join(needs))}"{shown}>'
                f"{row_html(self, [item], hidden=False)}</div>"
            )
        for item in by_subgroups:  # the finer groups' rows show once the team chooses them
            parts.append(radios_revealing(self, item, {"yes": self._breakdown_html()}))
        return SafeString("".join(parts))  # each part is escaped as it is made

    def _breakdown_html(self):
        return format_html('<div id="{}">{}</div>', self.breakdown_id, self._categories_html())

    def _categories_html(self):
        return format_html_join(
            "",
            '<div class="thrive-breakdown"><h4 class="govuk-heading-s">{}</h4>{}</div>',
            (
                (
                    category,
                    format_html_join(
                        "",
                        '<div class="thrive-subrow" id="{}">{}</div>',
                        ((row_id, form.lean_html()) for row_id, form in rows),
                    ),
                )
                for category, rows in self.breakdown_rows
            ),
        )


@functools.lru_cache(maxsize=8)
def _layout_of(form_class) -> tuple:
    """The crispy layout that every row of a form class shares, made once: the lean rows only
    read it."""
    return tuple(form_class.fixed_layout())


class SubgroupRatingForm(RowForm):
    """A finer group of a characteristic (an ethnic group within race), kept short: whether the
    activity could affect it, then a line why not, or the likely impact and its evidence."""

    scale_fields = {"impact": Scale.IMPACT}
    relevant = ImpactRatingForm.base_fields["relevant"]

    class Meta:
        model = SubgroupRating
        fields = ["relevant", "not_relevant_reason", "impact", "evidence"]
        labels = {
            "not_relevant_reason": "Why not, in a line?",
            "impact": "Likely impact",
            "evidence": "Evidence",
        }
        widgets = {"evidence": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.relevant is not None:
            self.initial["relevant"] = "yes" if self.instance.relevant else "no"
        if self.instance.subgroup_id is not None:  # the group's name heads its row
            self.fields["relevant"].label = self.instance.subgroup.name

    def name_group(self, group: str) -> None:
        legend = self.fields["relevant"].label
        super().name_group(group)
        self.fields["relevant"].label = legend  # the legend is the group's name already
        self.plain_labels["relevant"] = legend

    def summary_line(self) -> str:
        if self.instance.relevant is None:
            return "Not decided yet"
        return "Relevant" if self.instance.relevant else "Not relevant"

    def layout(self) -> list:
        return [
            Field.radios("relevant", legend_size=Size.SMALL, small=True),
            Field.text("not_relevant_reason"),
            Field.radios("impact", legend_size=Size.SMALL, small=True),
            textarea("evidence", rows=2),
        ]

    def lean_html(self):
        relevance, reason, *in_depth = self.layout()
        hidden = mark_safe("".join(str(field) for field in self.hidden_fields()))  # noqa: S308 - Django's
        return hidden + radios_revealing(
            self,
            relevance,
            {"yes": row_html(self, in_depth, hidden=False), "no": row_html(self, [reason], hidden=False)},
        )


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
        labels = {
            "description": "Who are they? (optional)",
            "impact": "Likely impact",
            "evidence": "Evidence",
        }
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


class PrincipleAlignmentForm(RowForm):
    scale_fields = {"alignment": Scale.PRINCIPLE_ALIGNMENT}

    class Meta:
        model = PrincipleAlignment
        fields = ["alignment", "narrative"]
        labels = {
            "alignment": "How well does the activity align?",
            "narrative": "How, and what would make it stronger?",
        }
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}

    def layout(self) -> list:
        return [
            Field.radios("alignment", legend_size=Size.SMALL, small=True, inline=True),
            textarea("narrative", rows=3),
        ]


class DutyContributionForm(RowForm):
    scale_fields = {"contribution": Scale.DUTY_CONTRIBUTION}

    class Meta:
        model = DutyContribution
        fields = ["contribution", "narrative"]
        labels = {"contribution": "Contribution", "narrative": "How?"}
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3})}

    def layout(self) -> list:
        return [
            Field.radios("contribution", legend_size=Size.SMALL, small=True, inline=True),
            textarea("narrative", rows=3),
        ]


class ParticipationEntryForm(RowForm):
    scale_fields = {"level": Scale.PARTICIPATION}
    paid = _yes_no_field("Were they paid for their time?")
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
        _yes_no_initial(self, "paid")

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


class RowIdField(forms.ModelChoiceField):
    """The hidden id of a posted row: one of the formset's own rows, found among those it read.

    Django's id field accepts any row of the model and reads each from the database again.
    """

    widget = forms.HiddenInput

    def __init__(self, *, rows: dict, model: type, **kwargs):
        super().__init__(queryset=None, required=False, **kwargs)
        self.rows = rows
        self.model = model

    @property
    def choices(self):
        """A hidden id offers nothing to choose from (Django's would list every row stored)."""
        return []

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.rows.get(self.model._meta.pk.to_python(value))
        except ValidationError:
            row = None
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row


class RowFormSet(BaseModelFormSet):
    """Rows of one assessment; ids of rows from elsewhere are refused by the id field."""

    def add_fields(self, form, index):
        # Django's model formset adds an id field that accepts any row of the model; this one
        # takes the formset's own rows. The rest (deletion) comes from the plain formset.
        BaseFormSet.add_fields(self, form, index)
        if not hasattr(self, "_rows_by_pk"):
            self._rows_by_pk = {row.pk: row for row in self.get_queryset()}
        form.fields[self.model._meta.pk.name] = RowIdField(
            rows=self._rows_by_pk,
            model=self.model,
            initial=None if form.instance._state.adding else form.instance.pk,
        )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this entry when I save"


def row_formset(form, *, can_delete: bool, fixed: bool):
    return modelformset_factory(
        form._meta.model,
        form=form,
        formset=RowFormSet,
        extra=0,
        can_delete=can_delete,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
        edit_only=fixed,
    )


ImpactRatingFormSet = row_formset(ImpactRatingForm, can_delete=False, fixed=True)
SubgroupRatingFormSet = row_formset(SubgroupRatingForm, can_delete=False, fixed=True)
IntersectionalFormSet = row_formset(IntersectionalImpactForm, can_delete=True, fixed=False)
PrincipleAlignmentFormSet = row_formset(PrincipleAlignmentForm, can_delete=False, fixed=True)
DutyFormSet = row_formset(DutyContributionForm, can_delete=False, fixed=True)
ParticipationFormSet = row_formset(ParticipationEntryForm, can_delete=True, fixed=False)
ActionFormSet = row_formset(ActionForm, can_delete=True, fixed=False)
