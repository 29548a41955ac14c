"""Every answer of an assessment as rows and tables, for check-your-answers and read-only pages."""

from dataclasses import dataclass, field

from assessments.display import NOT_ANSWERED, answer_text, combination_name, label, yes_no
from assessments.rules import (
    IMPACTS_NEEDING_JUSTIFICATION,
    IMPACTS_NEEDING_MITIGATION,
    field_group_id,
    question_field,
)
from assessments.selectors import AssessmentContent
from frameworks.models import Section
from frameworks.scales import Scale, StructuredPart
from thrive_edi.dates import day_text
from thrive_edi.people import person_name


@dataclass
class SummaryRow:
    key: str
    value: str
    anchor: str


@dataclass
class SummaryTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    anchor: str


@dataclass
class SummarySection:
    section: Section
    rows: list[SummaryRow] = field(default_factory=list)
    tables: list[SummaryTable] = field(default_factory=list)


# What a row shows where the rules ask for nothing (a neutral impact needs no mitigation).
NOT_NEEDED = "Not needed"


def _text(value) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else NOT_ANSWERED


def _text_if_needed(value: str, impact: str, needing: frozenset) -> str:
    """What was written; where nothing was, whether it was needed: an impact not yet chosen may
    still need it."""
    if value.strip() or not impact or impact in needing:
        return _text(value)
    return NOT_NEEDED


def _groups(action) -> str:
    """The characteristics, then each combination by its name, set apart by semicolons (the
    names of a combination's characteristics are joined by "and")."""
    names = [c.name for c in action.characteristic_list]
    names += [f"Combination: {combination_name(i)}" for i in action.combination_list]
    return "; ".join(names) or NOT_ANSWERED


def _names(items) -> str:
    return ", ".join(item.name for item in items) or NOT_ANSWERED


def _structured_table(content: AssessmentContent, part: str) -> SummaryTable:
    if part == StructuredPart.IMPACT_GRID:
        return SummaryTable(
            "Impact on people and groups",
            ["Group", "Impact", "Evidence", "Confidence", "Data gap", "Mitigation", "Justification"],
            [
                [
                    r.characteristic.name,
                    label(content, Scale.IMPACT, r.impact),
                    _text(r.evidence),
                    label(content, Scale.EVIDENCE_CONFIDENCE, r.confidence),
                    yes_no(r.data_gap) + (f": {r.data_gap_note}" if r.data_gap and r.data_gap_note else ""),
                    _text_if_needed(r.mitigation, r.impact, IMPACTS_NEEDING_MITIGATION),
                    _text_if_needed(r.justification, r.impact, IMPACTS_NEEDING_JUSTIFICATION),
                ]
                for r in content.ratings
            ],
            "impacts-rows",
        )
    if part == StructuredPart.INTERSECTIONAL_IMPACTS:
        return SummaryTable(
            "Combinations of characteristics",
            ["Characteristics", "Who", "Impact", "Evidence"],
            [
                [
                    _names(i.characteristic_list),
                    _text(i.description),
                    label(content, Scale.IMPACT, i.impact),
                    _text(i.evidence),
                ]
                for i in content.intersectional
            ],
            "intersectional-rows",
        )
    if part == StructuredPart.PRINCIPLE_ALIGNMENT:
        return SummaryTable(
            "Alignment with the principles",
            ["Principle", "Alignment", "How"],
            [
                [a.principle.name, label(content, Scale.PRINCIPLE_ALIGNMENT, a.alignment), _text(a.narrative)]
                for a in content.alignments
            ],
            "principles-rows",
        )
    if part == StructuredPart.DUTY_CONTRIBUTIONS:
        aims = content.version.labels(Scale.PSED_AIM)
        return SummaryTable(
            "Legal duties",
            ["Aim", "Contribution", "How"],
            [
                [
                    aims.get(d.aim) or d.get_aim_display(),
                    label(content, Scale.DUTY_CONTRIBUTION, d.contribution),
                    _text(d.narrative),
                ]
                for d in content.duties
            ],
            "duties-rows",
        )
    if part == StructuredPart.PARTICIPATION_LOG:
        return SummaryTable(
            "Participation log",
            ["Who", "How", "When", "Level", "Paid", "What changed"],
            [
                [
                    _text(e.who),
                    _text(e.how),
                    day_text(e.when) if e.when else NOT_ANSWERED,
                    label(content, Scale.PARTICIPATION, e.level),
                    yes_no(e.paid),
                    _text(e.what_changed),
                ]
                for e in content.participation
            ],
            "participation-rows",
        )
    return SummaryTable(
        "Action plan",
        ["Issue", "Action", "Groups", "Principle", "Owner", "Due", "Measure", "Status"],
        [
            [
                _text(a.issue),
                _text(a.action),
                _groups(a),
                a.principle.name if a.principle else "None",
                person_name(a.owner) if a.owner else NOT_ANSWERED,
                day_text(a.due_date) if a.due_date else NOT_ANSWERED,
                _text(a.measure),
                a.get_status_display(),
            ]
            for a in content.actions
        ],
        "actions-rows",
    )


def assessment_summary(content: AssessmentContent) -> list[SummarySection]:
    summary = []
    for section in content.sections:
        item = SummarySection(section)
        for question in content.questions_by_section.get(section.pk, []):
            answer = content.answers.get(question.pk)
            item.rows.append(
                SummaryRow(
                    question.text,
                    answer_text(content, question, answer.value if answer else None),
                    field_group_id(question_field(question)),
                )
            )
        if section.structured:
            item.tables.append(_structured_table(content, section.structured))
        summary.append(item)
    return summary
