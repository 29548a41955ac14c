"""Reads that span models: an assessment's whole content, loaded in a fixed number of queries."""

import datetime
import functools
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Subquery, When

from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    NoneApplies,
    ParticipationEntry,
    PrincipleAlignment,
    ReviewComment,
    Screening,
    SectionProgress,
    SubgroupRating,
)
from assessments.places import counts_by_area  # noqa: F401 - read here by other apps' reports
from assessments.scope import sections_in_scope
from frameworks.models import Characteristic, FrameworkVersion, Principle, Question, Section
from thrive_edi.aggregates import JoinedText, split_joined
from thrive_edi.people import with_names


def _part(name: str) -> property:
    def read(content: "AssessmentContent"):
        return content.part(name)

    return property(read, doc=f"The assessment's {name}, read from the database the first time.")


class AssessmentContent:
    """Everything an assessment records, with the framework rows it points at.

    Each part (answers, ratings, ...) is read the first time it is used and kept, so that a
    page reads only what it shows or checks: a section's page reads its own rows and those its
    rules look at, the task list reads everything.
    """

    PARTS = (
        "answers",
        "ratings",
        "intersectional",
        "alignments",
        "duties",
        "participation",
        "actions",
        "none_applies",
        "subgroup_ratings",
        "screened_groups",
    )

    def __init__(self, assessment: Assessment, template: "FrameworkTemplate", progress=None, **parts):
        unknown = set(parts) - set(self.PARTS)
        if unknown:
            raise TypeError(f"Unknown parts of an assessment: {sorted(unknown)}")
        self.assessment = assessment
        self.template = template
        self._parts = dict(parts)
        self._progress = progress

    @property
    def version(self) -> FrameworkVersion:
        return self.template.version

    @property
    def sections(self) -> list[Section]:
        """The template's sections that the assessment answers, as its screening decided."""
        return sections_in_scope(self.template.sections, self.assessment.scope)

    @property
    def questions_by_section(self) -> dict[int, list[Question]]:
        return self.template.questions_by_section

    answers: dict[int, Answer] = _part("answers")  # by question id
    ratings: list[ImpactRating] = _part("ratings")
    intersectional: list[IntersectionalImpact] = _part("intersectional")
    alignments: list[PrincipleAlignment] = _part("alignments")
    duties: list[DutyContribution] = _part("duties")
    participation: list[ParticipationEntry] = _part("participation")
    actions: list[Action] = _part("actions")
    none_applies: dict[str, NoneApplies] = _part("none_applies")  # by kind's prefix
    subgroup_ratings: list[SubgroupRating] = _part("subgroup_ratings")
    screened_groups: set[int] = _part("screened_groups")  # the characteristics the screening marked

    def part(self, name: str):
        if name not in self._parts:
            if name == "actions":
                self.part("intersectional")  # actions link to the very combination objects held
            self._parts[name] = _read_part(self.assessment, self.template, name, read=self._parts)
        return self._parts[name]

    def read_all(self) -> "AssessmentContent":
        for name in self.PARTS:
            self.part(name)
        return self

    @property
    def progress(self) -> dict[int, SectionProgress]:
        """Where the assessment stands on each section, by section id."""
        if self._progress is None:
            self._progress = recorded_progress(self.assessment)
        return self._progress

    def with_parts_read_again(self, names) -> "AssessmentContent":
        """A copy of this content whose ``names`` parts are read again when next used."""
        kept = {name: rows for name, rows in self._parts.items() if name not in names}
        return AssessmentContent(self.assessment, self.template, self._progress, **kept)

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


CHARACTERISTIC_ORDER = (Case(When(kind=Characteristic.Kind.PROTECTED, then=0), default=1), "order", "pk")


def version_characteristics(version) -> QuerySet:
    return Characteristic.objects.filter(version=version).order_by(*CHARACTERISTIC_ORDER)


def template_sections(version: FrameworkVersion) -> tuple[list[Section], dict[int, list[Question]]]:
    sections = list(
        Section.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    return sections, {section.pk: list(section.questions.all()) for section in sections}


@dataclass
class FrameworkTemplate:
    """A framework version as an assessment's pages read it: its scales, sections and questions."""

    version: FrameworkVersion
    sections: list[Section]
    questions_by_section: dict[int, list[Question]]
    _characteristics: dict[int, Characteristic] | None = None

    _principles: dict[int, Principle] | None = None

    def characteristics_by_id(self) -> dict[int, Characteristic]:
        """The version's characteristics in their order (protected ones first), read when first needed."""
        if self._characteristics is None:
            self._characteristics = {c.pk: c for c in version_characteristics(self.version)}
        return self._characteristics

    def principles_by_id(self) -> dict[int, Principle]:
        """The version's principles in their order, read when first needed."""
        if self._principles is None:
            principles = Principle.objects.filter(version=self.version).order_by("order", "pk")
            self._principles = {p.pk: p for p in principles}
        return self._principles


def framework_template(version_id: int, frozen_at=None) -> FrameworkTemplate:
    """The version (with its scales and levels), its sections and their questions.

    ``frozen_at``: the version's freezing time when the caller has it; read otherwise.
    """
    if frozen_at is None:
        frozen_at = FrameworkVersion.objects.values_list("frozen_at", flat=True).get(pk=version_id)
    if frozen_at is None:
        return _read_template(version_id)
    return _frozen_template(version_id, frozen_at)


def _read_template(version_id: int) -> FrameworkTemplate:
    version = FrameworkVersion.objects.prefetch_related("scale_options", "levels").get(pk=version_id)
    version.labels("impact")  # reads the scales now, so that a cached version holds them
    return FrameworkTemplate(version, *template_sections(version))


# A frozen framework version never changes, so its template is read once per process. The key
# holds the freezing time, so that a version frozen anew is read anew; the few versions in use
# at a time stay, older ones make room.
@functools.lru_cache(maxsize=16)
def _frozen_template(version_id: int, frozen_at) -> FrameworkTemplate:
    return _read_template(version_id)


def assessment_template(assessment: Assessment) -> FrameworkTemplate:
    # A version loaded with the assessment already says whether it is frozen (it never thaws).
    loaded = Assessment.framework_version.is_cached(assessment)
    frozen_at = assessment.framework_version.frozen_at if loaded else None
    return framework_template(assessment.framework_version_id, frozen_at)


@functools.cache
def linked_ids(model: type[models.Model], name: str) -> Subquery:
    """The ids a many-to-many field links each row to, joined by commas, as a subquery.

    Built once per field: each query that uses it resolves a copy of its own, so one expression
    serves them all, and the pages that read the links do not build it again on every request."""
    field = model._meta.get_field(name)
    link = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    joined = (
        link.objects.filter(**{owner: OuterRef("pk")})
        .values(owner)
        .annotate(ids=JoinedText(f"{target}_id"))
        .values("ids")
    )
    return Subquery(joined)


def comment_replies() -> Prefetch:
    """A comment's replies, oldest first, with their authors, as ``comment.reply_list``."""
    replies = with_names(ReviewComment.objects.all(), "author").order_by("created_at", "pk")
    return Prefetch("replies", queryset=replies, to_attr="reply_list")


def linked_characteristics() -> Prefetch:
    """The characteristics a combination or an action names, as ``row.characteristic_list``.

    ``assessment_content`` gives its rows the same list from the characteristics in memory.
    """
    ordered = Characteristic.objects.order_by(*CHARACTERISTIC_ORDER)
    return Prefetch("characteristics", queryset=ordered, to_attr="characteristic_list")


def _ids(joined: str | None) -> set[int]:
    return {int(pk) for pk in split_joined(joined)}


def _linked(objects_by_id: dict, joined: str | None) -> list:
    """The objects whose ids are joined in ``joined``, in the order of ``objects_by_id``."""
    ids = _ids(joined)
    return [item for pk, item in objects_by_id.items() if pk in ids]


def _load_intersectional(assessment: Assessment, template: FrameworkTemplate) -> list[IntersectionalImpact]:
    rows = list(
        IntersectionalImpact.objects.filter(assessment=assessment).annotate(
            characteristic_ids=linked_ids(IntersectionalImpact, "characteristics")
        )
    )
    characteristics = template.characteristics_by_id() if any(row.characteristic_ids for row in rows) else {}
    for row in rows:
        # What ``linked_characteristics()`` would hold, from the characteristics in memory.
        row.characteristic_list = _linked(characteristics, row.characteristic_ids)
    return rows


def _load_actions(
    assessment: Assessment, template: FrameworkTemplate, combinations: list[IntersectionalImpact]
) -> list[Action]:
    actions = list(
        Action.objects.filter(assessment=assessment)
        .select_related("owner")
        .annotate(
            characteristic_ids=linked_ids(Action, "characteristics"),
            combination_ids=linked_ids(Action, "intersectional_impacts"),
        )
    )
    if not actions:
        return actions
    combinations_by_id = {row.pk: row for row in combinations}
    linked = {pk for action in actions for pk in _ids(action.combination_ids)}
    if not linked <= combinations_by_id.keys():  # combinations added since they were read
        combinations_by_id = {row.pk: row for row in _load_intersectional(assessment, template)}
    characteristics = template.characteristics_by_id() if any(a.characteristic_ids for a in actions) else {}
    principles = template.principles_by_id() if any(a.principle_id for a in actions) else {}
    for action in actions:
        action.principle = principles.get(action.principle_id)
        action.characteristic_list = _linked(characteristics, action.characteristic_ids)
        action.combination_list = _linked(combinations_by_id, action.combination_ids)
    return actions


def _in_order_of(rows: QuerySet, link: str, targets: dict) -> list:
    """The rows, each given the framework object it points at from ``targets`` (no join), in
    the order of ``targets``."""
    rows = list(rows)
    position = {pk: index for index, pk in enumerate(targets)}
    for row in rows:
        setattr(row, link, targets[getattr(row, f"{link}_id")])
    rows.sort(key=lambda row: (position[getattr(row, f"{link}_id")], row.pk))
    return rows


def _read_part(assessment: Assessment, template: FrameworkTemplate, name: str, read: dict):
    """One part of an assessment's content; ``read`` holds the parts read before."""
    if name == "answers":
        rows = {answer.question_id: answer for answer in Answer.objects.filter(assessment=assessment)}
    elif name == "ratings":
        ratings = ImpactRating.objects.filter(assessment=assessment)
        rows = _in_order_of(ratings, "characteristic", template.characteristics_by_id())
    elif name == "intersectional":
        rows = _load_intersectional(assessment, template)
    elif name == "alignments":
        alignments = PrincipleAlignment.objects.filter(assessment=assessment)
        rows = _in_order_of(alignments, "principle", template.principles_by_id())
    elif name == "duties":
        rows = list(DutyContribution.objects.filter(assessment=assessment).order_by("pk"))
    elif name == "participation":
        rows = list(ParticipationEntry.objects.filter(assessment=assessment))
    elif name == "actions":
        rows = _load_actions(assessment, template, read.get("intersectional", []))
    elif name == "none_applies":
        rows = {choice.kind: choice for choice in NoneApplies.objects.filter(assessment=assessment)}
    elif name == "subgroup_ratings":
        subgroup_ratings = SubgroupRating.objects.filter(assessment=assessment).select_related("subgroup")
        rows = sorted(subgroup_ratings, key=lambda row: (row.subgroup.order, row.subgroup.pk))
    elif name == "screened_groups":
        marked = Screening.groups.through.objects.filter(screening__assessment=assessment)
        rows = set(marked.values_list("characteristic_id", flat=True))
    else:
        raise ValueError(f"An assessment has no part {name!r}.")
    return rows


def assessment_content(assessment: Assessment) -> AssessmentContent:
    """The assessment's content; each part is read when first used (``read_all`` for all now)."""
    return AssessmentContent(assessment, assessment_template(assessment))


def recorded_progress(assessment: Assessment) -> dict[int, SectionProgress]:
    """Where the assessment stands on each section, by section id."""
    return {p.section_id: p for p in SectionProgress.objects.filter(assessment=assessment)}


def review_comments(assessment: Assessment) -> QuerySet[ReviewComment]:
    """The assessment's review comments and replies, oldest first.

    Approvers comment only on an assessment in review, so one never submitted has none, and
    its pages need not ask.
    """
    if assessment.submitted_at is None:
        return ReviewComment.objects.none()
    return ReviewComment.objects.filter(assessment=assessment).order_by("created_at", "pk")


def screenings_signed_off(starts: datetime.datetime, ends: datetime.datetime) -> QuerySet[Assessment]:
    """Assessments whose screening an approver confirmed from ``starts`` (included) to ``ends``
    (excluded): "no assessment needed" decisions, signed off with their confirmation, and full
    or proportionate assessments confirmed as the screening decided. A screening is confirmed
    once; one returned or waiting is not counted."""
    confirmed = AssessmentEvent.objects.filter(
        assessment=OuterRef("pk"),
        kind=AssessmentEvent.Kind.SCREENING_CONFIRMED,
        at__gte=starts,
        at__lt=ends,
    )
    confirmed_screenings = Assessment.objects.filter(screening_status=Assessment.Screening.CONFIRMED)
    return confirmed_screenings.filter(Exists(confirmed))
