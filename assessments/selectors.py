"""Reads that span models: an assessment's whole content, loaded in a fixed number of queries."""

from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Case, Prefetch, QuerySet, When
from django.db.models.expressions import RawSQL

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
from assessments.permissions import is_involved, may_read_review_workings, may_reassess
from assessments.signals import timeline_requested
from frameworks.models import Characteristic, FrameworkVersion, Principle, Question, Section
from frameworks.scales import StructuredPart
from thrive_edi.aggregates import split_joined
from thrive_edi.roles import Role, has_role


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

    PARTS = ("answers", "ratings", "intersectional", "alignments", "duties", "participation", "actions")

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
        return self.template.sections

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


# A frozen framework version never changes, so its template is read once per process.
# The key holds the freezing time, so that a version frozen anew is read anew.
_frozen_templates: dict[tuple[int, object], FrameworkTemplate] = {}


def framework_template(version_id: int, frozen_at=None) -> FrameworkTemplate:
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
    template = FrameworkTemplate(version, *template_sections(version))
    if frozen_at is not None:
        _frozen_templates[key] = template
    return template


def assessment_template(assessment: Assessment) -> FrameworkTemplate:
    # A version loaded with the assessment already says whether it is frozen (it never thaws).
    loaded = assessment._state.fields_cache.get("framework_version")
    frozen_at = loaded.frozen_at if loaded is not None else None
    return framework_template(assessment.framework_version_id, frozen_at)


def _linked_ids(model: type[models.Model], name: str) -> RawSQL:
    """The ids a many-to-many field links each row to, joined by commas, as a subquery.

    Written out rather than built with the ORM: the ORM's version of this subquery costs more
    to compile than the whole query it sits in.
    """
    field = model._meta.get_field(name)
    quote = connection.ops.quote_name
    link = quote(field.remote_field.through._meta.db_table)
    target = f"{link}.{quote(field.m2m_reverse_name())}"
    joined = (
        f"STRING_AGG(CAST({target} AS text), ',')"
        if connection.vendor == "postgresql"
        else f"GROUP_CONCAT({target}, ',')"
    )
    owner = f"{link}.{quote(field.m2m_column_name())}"
    row = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    # Every name comes from the models' own metadata, quoted; nothing from a request.
    sql = f"SELECT {joined} FROM {link} WHERE {owner} = {row}"  # noqa: S608
    return RawSQL(sql, ())  # noqa: S611


def attach_prefetched(instance: models.Model, name: str, related) -> None:
    """Give ``instance.<name>.all()`` these objects without a query, as ``prefetch_related`` does.

    For links read as ids with the rows themselves (``_linked_ids``) to objects already in
    memory (the version's characteristics, the assessment's combinations), and for rows made
    in memory by bulk seeding.
    """
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache = list(related)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


def _ids(joined: str | None) -> set[int]:
    return {int(pk) for pk in split_joined(joined)}


def _linked(objects_by_id: dict, joined: str | None) -> list:
    """The objects whose ids are joined in ``joined``, in the order of ``objects_by_id``."""
    ids = _ids(joined)
    return [item for pk, item in objects_by_id.items() if pk in ids]


def _load_intersectional(assessment: Assessment, template: FrameworkTemplate) -> list[IntersectionalImpact]:
    rows = list(
        IntersectionalImpact.objects.filter(assessment=assessment).annotate(
            characteristic_ids=_linked_ids(IntersectionalImpact, "characteristics")
        )
    )
    if any(row.characteristic_ids for row in rows):
        characteristics = template.characteristics_by_id()
        for row in rows:
            attach_prefetched(row, "characteristics", _linked(characteristics, row.characteristic_ids))
    return rows


def _load_actions(
    assessment: Assessment, template: FrameworkTemplate, combinations: list[IntersectionalImpact]
) -> list[Action]:
    actions = list(
        Action.objects.filter(assessment=assessment)
        .select_related("owner")
        .annotate(
            characteristic_ids=_linked_ids(Action, "characteristics"),
            combination_ids=_linked_ids(Action, "intersectional_impacts"),
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
        attach_prefetched(action, "characteristics", _linked(characteristics, action.characteristic_ids))
        attach_prefetched(
            action, "intersectional_impacts", _linked(combinations_by_id, action.combination_ids)
        )
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
    else:
        raise ValueError(f"An assessment has no part {name!r}.")
    return rows


_ROWS_OF_PART = {
    StructuredPart.IMPACT_GRID: "ratings",
    StructuredPart.INTERSECTIONAL_IMPACTS: "intersectional",
    StructuredPart.PRINCIPLE_ALIGNMENT: "alignments",
    StructuredPart.DUTY_CONTRIBUTIONS: "duties",
    StructuredPart.PARTICIPATION_LOG: "participation",
    StructuredPart.ACTION_PLAN: "actions",
}


def assessment_content(assessment: Assessment) -> AssessmentContent:
    """The assessment's content; each part is read when first used (``read_all`` for all now)."""
    return AssessmentContent(assessment, assessment_template(assessment))


def recorded_progress(assessment: Assessment) -> dict[int, SectionProgress]:
    """Where the assessment stands on each section, by section id."""
    return {p.section_id: p for p in SectionProgress.objects.filter(assessment=assessment)}


def content_after_saving(content: AssessmentContent, section: Section) -> AssessmentContent:
    """The content with what saving ``section`` can change read again, the rest kept."""
    # Answers need no reading again: the questions part keeps them in step as it saves them.
    changed = set()
    if section.structured == StructuredPart.ACTION_PLAN:
        # Its rule reads the impacts too, which someone may have saved since the page loaded.
        changed |= {"ratings", "intersectional"}
    if section.structured:
        changed.add(_ROWS_OF_PART[section.structured])
    return content.with_parts_read_again(changed)


def review_comments(assessment: Assessment) -> QuerySet[ReviewComment]:
    """The assessment's review comments and replies, oldest first.

    Approvers comment only on an assessment in review, so one never submitted has none, and
    its pages need not ask.
    """
    if assessment.submitted_at is None:
        return ReviewComment.objects.none()
    return ReviewComment.objects.filter(assessment=assessment).order_by("created_at", "pk")


def assessment_overview(user, assessment: Assessment) -> dict:
    """What the assessment's page shows beside its task list: comments, timeline, next steps."""

    workings = may_read_review_workings(user)
    comments = []
    if workings:
        comments = list(review_comments(assessment).select_related("author", "section", "resolved_by"))
    replies: dict[int, list[ReviewComment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        if comment.parent_id is None:  # its replies are among those just read
            attach_prefetched(comment, "replies", replies.get(comment.pk, []))
    events = list(AssessmentEvent.objects.filter(assessment=assessment).select_related("actor"))
    if not workings:
        # A request for changes is the reviewer's word to the team: readers of the record see
        # when it happened, not what it said.
        for event in events:
            if event.kind == AssessmentEvent.Kind.CHANGES_REQUESTED:
                event.note = ""
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
        ]
        + [
            entry
            for _receiver, entries in timeline_requested.send(
                sender=Assessment, assessment=assessment, user=user
            )
            for entry in entries or []
        ],
        key=lambda item: item[0],
    )
    involved = is_involved(user, assessment)
    approver = has_role(user, Role.APPROVER)
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
        "may_read_history": workings,
        "may_reassess": assessment.status == Assessment.Status.SIGNED_OFF
        and next_version is None
        and may_reassess(user, assessment),
    }
