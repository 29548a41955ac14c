"""The task list: each section of the template with where the assessment stands on it."""

from dataclasses import dataclass

from assessments.models import SectionProgress
from assessments.rules import RuleFailure, section_failures
from assessments.selectors import AssessmentContent
from frameworks.models import Section
from frameworks.scales import StructuredPart

# A section that needs another started first: actions and combinations link to rated impacts.
NEEDS_STARTED_FIRST = {
    StructuredPart.INTERSECTIONAL_IMPACTS: StructuredPart.IMPACT_GRID,
    StructuredPart.ACTION_PLAN: StructuredPart.IMPACT_GRID,
}


@dataclass
class Task:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"

    section: Section
    status: str
    failures: list[RuleFailure]
    waits_for: Section | None = None

    @property
    def cannot_start(self) -> bool:
        return self.status == self.CANNOT_START


def task_list(content: AssessmentContent) -> list[Task]:
    tasks = []
    for section in content.sections:
        failures = section_failures(content, section)
        progress = content.progress.get(section.pk)
        waits_for = None
        prerequisite = NEEDS_STARTED_FIRST.get(section.structured)
        if prerequisite:
            first = content.section_holding(prerequisite)
            if first is not None and first.pk not in content.progress:
                waits_for = first
        if progress is None:
            status = Task.CANNOT_START if waits_for else Task.NOT_STARTED
        elif progress.status == SectionProgress.Status.COMPLETED and not failures:
            status = Task.COMPLETED
        else:
            status = Task.IN_PROGRESS
        tasks.append(Task(section, status, failures, waits_for if status == Task.CANNOT_START else None))
    return tasks
