"""Every answer of an assessment as rows and tables, for check-your-answers and read-only pages."""

from dataclasses import dataclass, field

from assessments.display import answer_text
from assessments.kinds import NOT_NEEDED, SummaryTable, field_group_id, kinds_for
from assessments.rules import question_field
from assessments.selectors import AssessmentContent
from frameworks.models import Section

__all__ = ["NOT_NEEDED", "SummaryRow", "SummarySection", "SummaryTable", "assessment_summary"]


@dataclass
class SummaryRow:
    key: str
    value: str
    anchor: str


@dataclass
class SummarySection:
    section: Section
    rows: list[SummaryRow] = field(default_factory=list)
    tables: list[SummaryTable] = field(default_factory=list)


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
        for kind in kinds_for(section.structured):
            table = kind.table(content)
            if table is not None:  # a kind not in use shows nothing
                item.tables.append(table)
        summary.append(item)
    return summary
