"""Which sections of the template an assessment answers, as its screening decided.

A full assessment answers every section. A proportionate one assesses in depth only the groups
its screening marked relevant: it answers the questions, the impact grid and the action plan,
not the sections that ask about every principle, every duty, combinations of groups and the
participation log. "No assessment needed" answers none: the screening is the record.
"""

from assessments.models import Assessment
from frameworks.scales import StructuredPart

SKIPPED_PARTS = {
    Assessment.Scope.FULL: frozenset(),
    Assessment.Scope.PROPORTIONATE: frozenset(
        {
            StructuredPart.PARTICIPATION_LOG,
            StructuredPart.INTERSECTIONAL_IMPACTS,
            StructuredPart.PRINCIPLE_ALIGNMENT,
            StructuredPart.DUTY_CONTRIBUTIONS,
        }
    ),
}


def sections_in_scope(sections: list, scope: str) -> list:
    """The sections of ``sections`` that an assessment of ``scope`` answers, in their order."""
    if scope == Assessment.Scope.NONE:
        return []
    skipped = SKIPPED_PARTS.get(scope, frozenset())
    return [section for section in sections if section.structured not in skipped]
