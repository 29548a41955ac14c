"""Reads that span models: an assessment's whole content, loaded in a fixed number of queries."""

import dataclasses
from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, QuerySet, When

from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    ReviewComment,
    SectionProgress,
)
from assessments.permissions import is_involved
from frameworks.models import Characteristic, FrameworkVersion, Question, Section
from frameworks.scales import StructuredPart
from thrive_edi.roles import Role, has_role


@dataclass
class AssessmentContent:
    """Everything an assessment records, with the framework rows it points at."""

    assessment: Assessment
    version: FrameworkVersion
    sections: list[Section]
    questions_by_section: dict[int, list[Question]]
    answers: dict[int, Answer]  # by question id
    ratings: list[ImpactRating]
    intersectional: list[IntersectionalImpact]
    alignments: list[PrincipleAlignment]
    duties: list[DutyContribution]
    participation: list[ParticipationEntry]
    actions: list[Action]
    progress: dict[int, SectionProgress] = field(default_factory=dict)  # by section id

    def answer_value(self, question_key: str):
        for questions in self.questions_by_section.values():
            for question in questions:
                if question.key == question_key:
                    answer = self.answers.get(question.pk)
                    return answer.value if answer else None
        return None

    def section_by_key(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def section_holding(self, structured: str) -> Section | None:
        return next((section for section in self.sections if section.structured == structured), None)


def ordered_ratings(assessment) -> QuerySet:
    """Impact ratings with protected characteristics first, each kind in the version's order."""
    return (
        ImpactRating.objects.filter(assessment=assessment)
        .select_related("characteristic")
        .order_by(
            Case(When(characteristic__kind=Characteristic.Kind.PROTECTED, then=0), default=1),
            "characteristic__order",
            "characteristic__pk",
        )
    )


def version_characteristics(version) -> QuerySet:
    return Characteristic.objects.filter(version=version).order_by(
        Case(When(kind=Characteristic.Kind.PROTECTED, then=0), default=1), "order", "pk"
    )


def template_sections(version: FrameworkVersion) -> tuple[list[Section], dict[int, list[Question]]]:
    sections = list(
        Section.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    return sections, {section.pk: list(section.questions.all()) for section in sections}


# A frozen framework version never changes, so its template is read once per process.
# The key holds the freezing time, so that a version frozen anew is read anew.
_frozen_templates: dict[tuple[int, object], tuple] = {}


def framework_template(
    version_id: int, frozen_at=None
) -> tuple[FrameworkVersion, list[Section], dict[int, list[Question]]]:
    """The version (with its scales and levels), its sections and their questions.

    ``frozen_at``: the version's freezing time when the caller has it; read otherwise.
    """
    if frozen_at is None:
        frozen_at = FrameworkVersion.objects.values_list("frozen_at", flat=True).get(pk=version_id)
    key = (version_id, frozen_at)
    if frozen_at is not None and key in _frozen_templates:
        return _frozen_templates[key]
    version = FrameworkVersion.objects.prefetch_related("scale_options", "levels").get(pk=version_id)
    version.labels("impact")  # reads the scales now, so that a cached version holds them
    template = (version, *template_sections(version))
    if frozen_at is not None:
        _frozen_templates[key] = template
    return template


# How each part of an assessment is read, so that a save can read again only what it changed.
_ROW_LOADERS = {
    "answers": lambda a: {answer.question_id: answer for answer in Answer.objects.filter(assessment=a)},
    "ratings": lambda a: list(ordered_ratings(a)),
    "intersectional": lambda a: list(
        IntersectionalImpact.objects.filter(assessment=a).prefetch_related("characteristics")
    ),
    "alignments": lambda a: list(
        PrincipleAlignment.objects.filter(assessment=a)
        .select_related("principle")
        .order_by("principle__order", "principle__pk")
    ),
    "duties": lambda a: list(DutyContribution.objects.filter(assessment=a).order_by("pk")),
    "participation": lambda a: list(ParticipationEntry.objects.filter(assessment=a)),
    "actions": lambda a: list(
        Action.objects.filter(assessment=a)
        .select_related("principle", "owner")
        .prefetch_related("characteristics", "intersectional_impacts__characteristics")
    ),
}
_ROWS_OF_PART = {
    StructuredPart.IMPACT_GRID: "ratings",
    StructuredPart.INTERSECTIONAL_IMPACTS: "intersectional",
    StructuredPart.PRINCIPLE_ALIGNMENT: "alignments",
    StructuredPart.DUTY_CONTRIBUTIONS: "duties",
    StructuredPart.PARTICIPATION_LOG: "participation",
    StructuredPart.ACTION_PLAN: "actions",
}


def assessment_content(assessment: Assessment) -> AssessmentContent:
    # A version loaded with the assessment already says whether it is frozen (it never thaws).
    loaded = assessment._state.fields_cache.get("framework_version")
    version, sections, questions = framework_template(
        assessment.framework_version_id, loaded.frozen_at if loaded is not None else None
    )
    return AssessmentContent(
        assessment=assessment,
        version=version,
        sections=sections,
        questions_by_section=questions,
        **{name: load(assessment) for name, load in _ROW_LOADERS.items()},
        progress={p.section_id: p for p in SectionProgress.objects.filter(assessment=assessment)},
    )


def content_after_saving(content: AssessmentContent, section: Section) -> AssessmentContent:
    """The content with what saving ``section`` can change read again, the rest kept."""
    changed = {}
    if content.questions_by_section.get(section.pk):
        changed["answers"] = _ROW_LOADERS["answers"](content.assessment)
    if section.structured:
        rows = _ROWS_OF_PART[section.structured]
        changed[rows] = _ROW_LOADERS[rows](content.assessment)
    if section.structured == StructuredPart.ACTION_PLAN:
        # Its rule reads the impacts too, which someone may have saved since the page loaded.
        for rows in ("ratings", "intersectional"):
            changed[rows] = _ROW_LOADERS[rows](content.assessment)
    return dataclasses.replace(content, **changed)


def assessment_overview(user, assessment: Assessment) -> dict:
    """What the assessment's page shows beside its task list: comments, timeline, next steps."""

    comments = list(
        ReviewComment.objects.filter(assessment=assessment)
        .select_related("author", "section", "resolved_by")
        .order_by("created_at", "pk")
    )
    events = list(AssessmentEvent.objects.filter(assessment=assessment).select_related("actor"))
    timeline = sorted(
        [(event.at, event.get_kind_display(), event.actor, event.note) for event in events]
        + [
            (
                c.created_at,
                "Reply"
                if c.parent_id
                else f"Comment on {c.section.title if c.section else 'the assessment'}",
                c.author,
                c.text,
            )
            for c in comments
        ],
        key=lambda item: item[0],
    )
    involved = is_involved(user, assessment)
    approver = has_role(user, Role.APPROVER)
    staff = has_role(user, Role.STAFF) or approver
    in_review = assessment.status == Assessment.Status.IN_REVIEW
    next_version = assessment.live_next_version if assessment.is_frozen else None
    requested = [e for e in events if e.kind == AssessmentEvent.Kind.CHANGES_REQUESTED]
    return {
        "changes_requested": requested[-1]
        if requested and assessment.status == Assessment.Status.CHANGES_REQUESTED
        else None,
        "next_version": next_version,
        "open_comments": [c for c in comments if c.parent_id is None and not c.is_resolved],
        "timeline": timeline,
        "may_review": approver and in_review,
        "may_sign_off": approver and in_review and not involved,
        "may_withdraw": assessment.owner_id == user.pk and assessment.is_editable,
        "may_reassess": staff and assessment.status == Assessment.Status.SIGNED_OFF and next_version is None,
    }
