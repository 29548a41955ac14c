"""Combinations of characteristics (intersectional impacts): rows users add."""

from assessments.display import NOT_ANSWERED, label
from assessments.forms import IntersectionalFormSet
from assessments.forms.common import SharedChoices
from assessments.kinds.base import NoneAppliesChoice, RowKind, copy_fields, text
from assessments.models import IntersectionalImpact
from assessments.selectors import version_characteristics
from frameworks.scales import Scale, StructuredPart


def names(items) -> str:
    return ", ".join(item.name for item in items) or NOT_ANSWERED


class CombinationKind(RowKind):
    structured = StructuredPart.INTERSECTIONAL_IMPACTS
    model = IntersectionalImpact
    formset_class = IntersectionalFormSet
    prefix = "intersectional"
    content_attr = "intersectional"
    history_label = "Intersectional impact"
    caption = "Combinations of characteristics"
    headers = ("Characteristics", "Who", "Impact", "Evidence")
    column_widths = (25, 25, 15, 35)
    adds_rows = True
    add_label = "Add a combination"
    row_noun = "combination"
    needs_started_first = StructuredPart.IMPACT_GRID  # combinations are of rated characteristics
    scales = {"impact": Scale.IMPACT}
    none_applies = NoneAppliesChoice(
        label="No combination of characteristics applies to this activity",
        reason_label="Why does no combination apply?",
        summary="No combination applies",
        missing="Add at least one combination of characteristics, or say that none applies",
        missing_reason="Say why no combination of characteristics applies",
        rows_too="You said no combination applies: remove the combinations, or untick the box",
    )

    def queryset(self, assessment):
        return super().queryset(assessment).prefetch_related("characteristics")

    def form_kwargs(self, content):
        return {
            **super().form_kwargs(content),
            "characteristics": SharedChoices(
                version_characteristics(content.version), label=lambda c: c.name
            ),
        }

    def failures(self, content, section):
        rows = self.rows(content)
        chosen = self.none_applies_failures(content, section, rows)
        if chosen is not None:
            return chosen
        return self.row_failures(
            section,
            rows,
            [
                (
                    "characteristics",
                    lambda row: len(row.characteristic_list) < 2,
                    lambda i, row: f"Choose two or more characteristics in combination {i + 1}",
                ),
                (
                    "impact",
                    lambda row: not row.impact,
                    lambda i, row: f"Choose the impact of combination {i + 1}",
                ),
                (
                    "evidence",
                    lambda row: not row.evidence.strip(),
                    lambda i, row: f"Give the evidence for combination {i + 1}",
                ),
            ],
        )

    def table_rows(self, content):
        return [
            [
                names(i.characteristic_list),
                text(i.description),
                label(content, Scale.IMPACT, i.impact),
                text(i.evidence),
            ]
            for i in self.rows(content)
        ]

    def copy(self, old, new, context):
        copies = context.copies.setdefault(self.prefix, {})
        for item in IntersectionalImpact.objects.filter(assessment=old).prefetch_related("characteristics"):
            copy = IntersectionalImpact(assessment=new)
            copy_fields(item, copy, context.user)
            copy.save()
            linked = item.characteristics.all()
            kept = [context.characteristics[c.key] for c in linked if c.key in context.characteristics]
            copy.characteristics.set(kept)
            if len(kept) < len(linked):
                context.lost.append(
                    f"Part of combination {item.description or item.pk}: "
                    "a group is not in the current framework."
                )
            copies[item.pk] = copy
        self.copy_none_applies(old, new, context)
