"""The task list: each section of the template with where the assessment stands on it."""

from dataclasses import dataclass

from assessments.kinds import kind_for
from assessments.models import SectionProgress
from assessments.rules import RuleFailure, section_failures
from assessments.selectors import AssessmentContent
from frameworks.models import Section


def _prerequisite(section: Section) -> str | None:
    """The structured part of the section to start before ``section``, as its kind of row says."""
    kind = kind_for(section.structured)
    return kind.needs_started_first if kind is not None else None


@dataclass
class Task:
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"

    section: Section
    status: str
    failures: list[RuleFailure]  # what keeps a section marked completed from counting as such
    waits_for: Section | None = None
    waits_for_screening: bool = False
    address: str = ""  # the section's page, given by the page that links to it

    @property
    def cannot_start(self) -> bool:
        return self.status == self.CANNOT_START


def task_list(content: AssessmentContent) -> list[Task]:
    """The tasks of an assessment that can still change: a section counts as completed only
    while its rules pass, since answers elsewhere can break them. The sections that follow a
    screening cannot start until it is sent with its decision."""
    if not content.assessment.screening_decided:
        return [
            Task(section, Task.CANNOT_START, [], waits_for_screening=True) for section in content.sections
        ]
    return _tasks(content.sections, content.progress, section_failures_of(content))


def recorded_task_list(sections: list[Section], progress: dict[int, SectionProgress]) -> list[Task]:
    """The tasks of an assessment that can no longer change, as they stood when it last could.

    Its rules were checked when it was submitted and its answers cannot have changed since,
    so its content need not be read: the recorded progress says it all.
    """
    return _tasks(sections, progress, lambda section: [])


def section_task(content: AssessmentContent, section: Section) -> Task:
    """The task of one section, reading only what its own rules read."""
    return _task(section, content.sections, content.progress, section_failures_of(content))


def section_failures_of(content: AssessmentContent):
    return lambda section: section_failures(content, section)


def _tasks(sections, progress_by_section, failures_of) -> list[Task]:
    return [_task(section, sections, progress_by_section, failures_of) for section in sections]


def waiting_for(content: AssessmentContent, section: Section) -> Section | None:
    """The section that must be started before ``section`` can be, if it has not been."""
    if _prerequisite(section) is None:
        return None  # the progress need not be read
    return _waiting_for(section, content.sections, content.progress)


def _waiting_for(section: Section, sections, progress_by_section) -> Section | None:
    prerequisite = _prerequisite(section)
    if prerequisite:
        first = next((s for s in sections if s.structured == prerequisite), None)
        if first is not None and first.pk not in progress_by_section:
            return first
    return None


def _task(section: Section, sections, progress_by_section, failures_of) -> Task:
    """``failures_of(section)`` is asked only of a section marked completed, the one status its
    rules can change, so that the content the others' rules read is not read at all."""
    progress = progress_by_section.get(section.pk)
    waits_for = _waiting_for(section, sections, progress_by_section)
    failures = []
    if progress is None:
        status = Task.CANNOT_START if waits_for else Task.NOT_STARTED
    elif progress.status == SectionProgress.Status.COMPLETED and not (failures := failures_of(section)):
        status = Task.COMPLETED
    else:
        status = Task.IN_PROGRESS
    return Task(section, status, failures, waits_for if status == Task.CANNOT_START else None)
