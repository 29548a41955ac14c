"""Impact ratings: one row per characteristic of the framework version."""

from assessments.display import label, yes_no
from assessments.forms import ImpactRatingFormSet
from assessments.kinds.base import MatchedRowKind, text
from assessments.kinds.subgroups import breakdowns_offered
from assessments.models import ImpactRating
from assessments.selectors import ordered_ratings
from assessments.thresholds import IMPACTS_NEEDING_JUSTIFICATION, IMPACTS_NEEDING_MITIGATION
from frameworks.scales import Scale, StructuredPart

# What a row shows where the rules ask for nothing (a neutral impact needs no mitigation).
NOT_NEEDED = "Not needed"


def text_if_needed(value: str, impact: str, needing: frozenset) -> str:
    """What was written; where nothing was, whether it was needed: an impact not yet chosen may
    still need it."""
    if value.strip() or not impact or impact in needing:
        return text(value)
    return NOT_NEEDED


class ImpactKind(MatchedRowKind):
    structured = StructuredPart.IMPACT_GRID
    model = ImpactRating
    formset_class = ImpactRatingFormSet
    prefix = "impacts"
    content_attr = "ratings"
    history_label = "Impact rating"
    caption = "Impact on people and groups"
    headers = ("Group", "Impact", "Evidence", "Confidence", "Data gap", "Mitigation", "Justification")
    column_widths = (15, 15, 15, 15, 10, 15, 15)
    template_name = "assessments/parts/impact_grid.html"
    scales = {"impact": Scale.IMPACT, "confidence": Scale.EVIDENCE_CONFIDENCE}
    match_links = ("characteristic_id",)

    def form_kwargs(self, content):
        return {**super().form_kwargs(content), "breakdowns": breakdowns_offered(content)}

    def new_rows(self, assessment, version):
        return [ImpactRating(assessment=assessment, characteristic=c) for c in version.characteristics.all()]

    def queryset(self, assessment):
        return ordered_ratings(assessment)

    def row_label(self, content, form, index):
        if form.instance.characteristic_id is None:  # a refused row id: nothing to name
            return super().row_label(content, form, index)
        return form.instance.characteristic.name

    def failures(self, content, section):
        failures = []
        for index, rating in enumerate(self.rows(content)):
            name = rating.characteristic.name

            def fail(message: str, field: str, index=index, rating=rating) -> None:
                failures.append(self.failure(section, message, field, index, rating))

            relevant = rating.is_relevant
            if relevant is None:
                fail(f"Say whether the activity could affect {name}", "relevant")
                continue
            if not relevant:  # a group not affected needs only a one-line reason
                if not rating.not_relevant_reason.strip():
                    fail(f"Say in a line why {name} is not relevant", "not_relevant_reason")
                continue
            if not rating.impact:
                fail(f"Choose the likely impact on {name}", "impact")
                continue
            if not rating.evidence.strip():
                fail(f"Give the evidence for the impact on {name}", "evidence")
            if not rating.confidence:
                fail(f"Choose how confident the evidence on {name} is", "confidence")
            if rating.data_gap is None:
                fail(f"Say whether there is a data gap for {name}", "data_gap")
            elif rating.data_gap and not rating.data_gap_note.strip():
                fail(f"Say what data is missing for {name}", "data_gap_note")
            if rating.impact in IMPACTS_NEEDING_MITIGATION and not rating.mitigation.strip():
                fail(f"Say how the negative impact on {name} will be mitigated", "mitigation")
            if rating.impact in IMPACTS_NEEDING_JUSTIFICATION and not rating.justification.strip():
                fail(
                    f"Give the objective justification for the significant negative impact on {name}",
                    "justification",
                )
        return failures

    def table_rows(self, content):
        return [
            [r.characteristic.name, f"Not relevant: {text(r.not_relevant_reason)}", *[NOT_NEEDED] * 5]
            if r.is_relevant is False
            else [
                r.characteristic.name,
                label(content, Scale.IMPACT, r.impact),
                text(r.evidence),
                label(content, Scale.EVIDENCE_CONFIDENCE, r.confidence),
                yes_no(r.data_gap) + (f": {r.data_gap_note}" if r.data_gap and r.data_gap_note else ""),
                text_if_needed(r.mitigation, r.impact, IMPACTS_NEEDING_MITIGATION),
                text_if_needed(r.justification, r.impact, IMPACTS_NEEDING_JUSTIFICATION),
            ]
            for r in self.rows(content)
        ]

    def describe(self, record, reader):
        return f"Impact on {reader.characteristics.get(record.characteristic_id, 'a characteristic')}"

    def match_key(self, row):
        return row.characteristic.key

    def lost_message(self, row):
        return f"The impact rating for {row.characteristic.name}: the group is not in the current framework."
