"""An equality impact assessment and everything it records.

An assessment keeps the framework version it was created under for life; its rows point at
that version's characteristics, principles, sections and questions.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from frameworks.scales import (
    ActivityType,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
    PsedAim,
)
from frameworks.scales import (
    DutyContribution as DutyContributionLevel,
)
from thrive_edi.roles import Role, user_roles

# Limits stated on the pages that use them.
TITLE_MAX = 200
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 20_000
SUMMARY_MAX = 2_000
PARTNER_NAME_MAX = 200
COMMENT_MAX = 5_000


class Partner(models.Model):
    """A partner organisation that an assessment works with."""

    name = models.CharField(max_length=PARTNER_NAME_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="partner_name_unique_ignoring_case")]

    def __str__(self) -> str:
        return self.name


FROZEN_MESSAGE = (
    "This assessment has been signed off: its answers and rows can no longer change. "
    "Start a review to make a new version."
)


class FrozenAssessmentError(PermissionDenied):
    """A change to a signed-off assessment's content, refused whichever way it came."""

    def __init__(self, message: str = FROZEN_MESSAGE):
        super().__init__(message)


CONTENT_FIELDS_OF_ASSESSMENT = (
    "title",
    "activity_type",
    "summary",
    "owner_id",
    "framework_version_id",
    "version_number",
    "previous_id",
    "review_date",
    "decision",
    "submitted_at",
    "signed_off_at",
    "signed_off_by_id",
)


def refuse_content_change_if_frozen(instance: models.Model, fields) -> None:
    """Refuse a save that would change ``fields`` of a row whose assessment is signed off."""
    model = type(instance)
    if model is Assessment:
        stored = Assessment.objects.filter(pk=instance.pk, status__in=Assessment.FROZEN_STATUSES)
    else:
        if not Assessment.objects.filter(
            pk=instance.assessment_id, status__in=Assessment.FROZEN_STATUSES
        ).exists():
            return
        if instance.pk is None:
            raise FrozenAssessmentError()
        stored = model.objects.filter(pk=instance.pk)
    before = stored.values(*fields).first()
    if before is not None and any(before[name] != getattr(instance, name) for name in fields):
        raise FrozenAssessmentError()


class AssessmentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        names = {name.removesuffix("_id") for name in CONTENT_FIELDS_OF_ASSESSMENT} | set(
            CONTENT_FIELDS_OF_ASSESSMENT
        )
        if names & set(kwargs) and self.filter(status__in=Assessment.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status__in=Assessment.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().delete()

    def visible_to(self, user) -> "AssessmentQuerySet":
        """What a user may read: staff and approvers read all; the board and admins signed-off ones."""
        roles = user_roles(user)
        if roles & {Role.STAFF, Role.APPROVER}:
            return self
        if roles & {Role.BOARD, Role.ADMIN}:
            return self.filter(status__in=Assessment.PUBLISHED_STATUSES)
        return self.none()

    def involving(self, user) -> "AssessmentQuerySet":
        return self.filter(Q(owner=user) | Q(collaborators=user)).distinct()


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SIGNED_OFF = "signed_off", "Signed off"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
    PUBLISHED_STATUSES = (Status.SIGNED_OFF, Status.SUPERSEDED)
    FROZEN_STATUSES = (Status.SIGNED_OFF, Status.SUPERSEDED)

    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=TITLE_MAX)
    activity_type = models.CharField(max_length=30, choices=ActivityType.choices)
    summary = models.TextField(max_length=SUMMARY_MAX, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="collaborating_on"
    )
    partners = models.ManyToManyField(Partner, blank=True, related_name="assessments")
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version_number = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    # Copied from the answers to the monitoring and decision questions, for lists and reports.
    review_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What a re-assessment could not carry over from the version it re-assesses.
    carry_over_notes = models.JSONField(default=list, blank=True)
    # Grows by one with every saved change to the assessment's content.
    revision = models.PositiveIntegerField(default=0)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"])

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("review_assessment", "Can review assessments and request changes"),
            ("sign_off_assessment", "Can sign off assessments"),
        ]
        indexes = [models.Index(fields=["owner", "status"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            refuse_content_change_if_frozen(self, CONTENT_FIELDS_OF_ASSESSMENT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and Assessment.objects.filter(pk=self.pk, status__in=self.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status in self.FROZEN_STATUSES


class ReferenceCounter(models.Model):
    """The last reference number issued in a year, so that references never repeat."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class SectionProgress(models.Model):
    """Where an assessment stands on one section of its template, and its edit revision."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="progress")
    section = models.ForeignKey("frameworks.Section", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    # Each save of the section adds one; a save based on an older revision is a conflict.
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="one_progress_per_section")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.section_id}: {self.status} r{self.revision}"


class RowQuerySet(models.QuerySet):
    """Refuses bulk changes to the rows of signed-off assessments."""

    def _touches_frozen(self) -> bool:
        return self.filter(assessment__status__in=Assessment.FROZEN_STATUSES).exists()

    def update(self, **kwargs):
        if set(kwargs) - set(self.model.MONITORING_FIELDS) and self._touches_frozen():
            raise FrozenAssessmentError()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen():
            raise FrozenAssessmentError()
        return super().delete()


class AssessmentRow(models.Model):
    """Common to every row that belongs to an assessment: who changed it last, and when.

    Once the assessment is signed off, its rows are frozen: saving a change or deleting one
    is refused here, whichever view, form, admin page or script tries it.
    """

    # Fields that may still change after sign-off (following actions up is the point).
    MONITORING_FIELDS: tuple[str, ...] = ()

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RowQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        refuse_content_change_if_frozen(self, self.content_fields())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Assessment.objects.filter(pk=self.assessment_id, status__in=Assessment.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().delete(*args, **kwargs)

    @classmethod
    def content_fields(cls) -> list[str]:
        skipped = {"id", "updated_at", "updated_by", *cls.MONITORING_FIELDS}
        return [f.attname for f in cls._meta.concrete_fields if f.name not in skipped]


class Answer(AssessmentRow):
    """The answer to one narrative question; ``value`` is typed by the question's type."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("frameworks.Question", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class ImpactRating(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="impact_ratings")
    characteristic = models.ForeignKey(
        "frameworks.Characteristic", on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(max_length=30, choices=Impact.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    confidence = models.CharField(max_length=20, choices=EvidenceConfidence.choices, blank=True)
    data_gap = models.BooleanField(null=True)
    data_gap_note = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    mitigation = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    justification = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "characteristic"], name="one_rating_per_characteristic"
            )
        ]

    def __str__(self) -> str:
        return f"Impact on characteristic {self.characteristic_id}: {self.impact or 'not rated'}"


class IntersectionalImpact(AssessmentRow):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="intersectional_impacts"
    )
    characteristics = models.ManyToManyField("frameworks.Characteristic", related_name="+")
    description = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    impact = models.CharField(max_length=30, choices=Impact.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[characteristics])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or f"Combination {self.pk}"


class PrincipleAlignment(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="principle_alignments")
    principle = models.ForeignKey("frameworks.Principle", on_delete=models.PROTECT, related_name="+")
    alignment = models.CharField(max_length=20, choices=PrincipleAlignmentLevel.choices, blank=True)
    narrative = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "principle"], name="one_alignment_per_principle")
        ]

    def __str__(self) -> str:
        return f"Alignment with principle {self.principle_id}: {self.alignment or 'not rated'}"


class DutyAim(models.TextChoices):
    """The three aims of the Public Sector Equality Duty, plus inequalities in access and outcomes."""

    ELIMINATE_DISCRIMINATION = PsedAim.ELIMINATE_DISCRIMINATION.value, PsedAim.ELIMINATE_DISCRIMINATION.label
    ADVANCE_EQUALITY = PsedAim.ADVANCE_EQUALITY.value, PsedAim.ADVANCE_EQUALITY.label
    FOSTER_GOOD_RELATIONS = PsedAim.FOSTER_GOOD_RELATIONS.value, PsedAim.FOSTER_GOOD_RELATIONS.label
    ACCESS = "access", "Reduce inequalities in access"
    OUTCOMES = "outcomes", "Reduce inequalities in outcomes"


class DutyContribution(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="duty_contributions")
    aim = models.CharField(max_length=40, choices=DutyAim.choices)
    contribution = models.CharField(max_length=20, choices=DutyContributionLevel.choices, blank=True)
    narrative = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "aim"], name="one_contribution_per_aim")]

    def __str__(self) -> str:
        return f"{self.get_aim_display()}: {self.contribution or 'not rated'}"


class ParticipationEntry(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participation_entries")
    who = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    how = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    when = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=20, choices=ParticipationLevel.choices, blank=True)
    paid = models.BooleanField(null=True)
    what_changed = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "participation entries"

    def __str__(self) -> str:
        return self.who or f"Participation entry {self.pk}"


class Action(AssessmentRow):
    MONITORING_FIELDS = ("status", "progress_notes", "due_date")

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    issue = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    action = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    characteristics = models.ManyToManyField("frameworks.Characteristic", blank=True, related_name="+")
    intersectional_impacts = models.ManyToManyField(IntersectionalImpact, blank=True, related_name="actions")
    principle = models.ForeignKey(
        "frameworks.Principle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    measure = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_notes = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[characteristics, intersectional_impacts]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.action[:80] or f"Action {self.pk}"


class ReviewComment(models.Model):
    """An approver's comment on a section, or a reply to one. Every comment is kept."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        "frameworks.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=COMMENT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class AssessmentEvent(models.Model):
    """A step in the life of an assessment, for its timeline: who, when and why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SIGNED_OFF = "signed_off", "Signed off"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        REVIEW_STARTED = "review_started", "Re-assessment started"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=COMMENT_MAX, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.assessment_id})"


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenAssessmentError("A snapshot never changes.")

    def delete(self):
        raise FrozenAssessmentError("A snapshot is never deleted.")


class Snapshot(models.Model):
    """The whole signed-off assessment with the framework text it used, as canonical JSON.

    Made once at sign-off; its SHA-256 fingerprints it. Never changes afterwards.
    """

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="snapshot")
    document = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SnapshotQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Snapshot of {self.assessment_id}: {self.sha256}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise FrozenAssessmentError("A snapshot never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenAssessmentError("A snapshot is never deleted.")


class ReminderSent(models.Model):
    """A reminder already sent, so that running the reminders again never repeats one."""

    class Kind(models.TextChoices):
        REVIEW_DUE = "review_due", "Review due in 30 days"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"
        ACTION_DUE = "action_due", "Action due in 7 days"
        ACTION_OVERDUE = "action_overdue", "Action overdue"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    event_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "event_date"], name="one_reminder_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.event_date}"


@receiver(m2m_changed, dispatch_uid="assessments.frozen_m2m")
def _refuse_m2m_changes_when_frozen(sender, instance, action, reverse, **kwargs) -> None:
    if reverse or action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if isinstance(instance, Assessment):
        assessment_id = instance.pk
    elif isinstance(instance, AssessmentRow):
        assessment_id = instance.assessment_id
    else:
        return
    if Assessment.objects.filter(pk=assessment_id, status__in=Assessment.FROZEN_STATUSES).exists():
        raise FrozenAssessmentError()
