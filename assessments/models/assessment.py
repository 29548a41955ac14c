"""An equality impact assessment and everything it records.

An assessment keeps the framework version it was created under for life; its rows point at
that version's characteristics, principles, sections and questions."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

import thrive_edi.lookups  # noqa: F401 - registers the in_array lookup
from frameworks.scales import (
    ActivityType,
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
    "Start a re-assessment to make a new version."
)


class FrozenAssessmentError(PermissionDenied):
    """A change to a signed-off assessment's content, refused whichever way it came."""

    def __init__(self, message: str = FROZEN_MESSAGE):
        super().__init__(message)


CONTENT_FIELDS_OF_ASSESSMENT = (
    "title",
    "activity_type",
    "summary",
    "london_wide",
    "owner_id",
    "framework_version_id",
    "version_number",
    "previous_id",
    "review_date",
    "decision",
    "submitted_at",
    "signed_off_at",
    "signed_off_by_id",
    "carry_over_notes",
    "scope",
)


def is_frozen(assessment_id: int | None) -> bool:
    """Whether the assessment is signed off (or superseded since): what it records no longer changes."""
    return Assessment.objects.filter(pk=assessment_id, status__in=Assessment.FROZEN_STATUSES).exists()


def refuse_if_frozen(assessment_id: int | None) -> None:
    if is_frozen(assessment_id):
        raise FrozenAssessmentError()


def refuse_content_change_if_frozen(instance: models.Model, fields) -> None:
    """Refuse a save that would change ``fields`` of a row whose assessment is signed off."""
    model = type(instance)
    if model is Assessment:
        stored = Assessment.objects.filter(pk=instance.pk, status__in=Assessment.FROZEN_STATUSES)
    else:
        if not is_frozen(instance.assessment_id):
            return
        if instance.pk is None:
            raise FrozenAssessmentError()
        stored = model.objects.filter(pk=instance.pk)
    before = stored.values(*fields).first()
    if before is not None and any(before[name] != getattr(instance, name) for name in fields):
        raise FrozenAssessmentError()


class ReadingReach(models.TextChoices):
    """How far a person's reading of assessments goes."""

    ALL = "all", "Every assessment"
    SIGNED_OFF = "signed_off", "Signed-off assessments"
    NONE = "none", "None"


def reading_reach(user) -> ReadingReach:
    """Staff and approvers read every assessment; the board and admins the signed-off ones."""
    roles = user_roles(user)
    if roles & {Role.STAFF, Role.APPROVER}:
        return ReadingReach.ALL
    if roles & {Role.BOARD, Role.ADMIN}:
        return ReadingReach.SIGNED_OFF
    return ReadingReach.NONE


class AssessmentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        names = {name.removesuffix("_id") for name in CONTENT_FIELDS_OF_ASSESSMENT} | set(
            CONTENT_FIELDS_OF_ASSESSMENT
        )
        thaws = "status" in kwargs and kwargs["status"] != Assessment.Status.SUPERSEDED
        if (names & set(kwargs) or thaws) and self.filter(status__in=Assessment.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status__in=Assessment.FROZEN_STATUSES).exists():
            raise FrozenAssessmentError()
        return super().delete()

    def visible_to(self, user) -> "AssessmentQuerySet":
        """What a user may read (``reading_reach``)."""
        reach = reading_reach(user)
        if reach == ReadingReach.ALL:
            return self
        if reach == ReadingReach.SIGNED_OFF:
            return self.filter(status__in=Assessment.FROZEN_STATUSES)
        return self.none()

    def involving(self, user) -> "AssessmentQuerySet":
        # A subquery rather than a join, so that no DISTINCT over every column is needed; as an
        # array on PostgreSQL, so that the OR is answered from indexes (thrive_edi.lookups).
        collaborating = Assessment.collaborators.through.objects.filter(user=user).values("assessment_id")
        return self.filter(Q(owner=user) | Q(pk__in_array=collaborating))

    def waiting_for_review_by(self, user) -> "AssessmentQuerySet":
        """In review and not the user's own (owned or collaborated on): what an approver may sign off."""
        collaborating = Assessment.collaborators.through.objects.filter(user=user).values("assessment_id")
        return (
            self.filter(status=Assessment.Status.IN_REVIEW).exclude(owner=user).exclude(pk__in=collaborating)
        )


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SIGNED_OFF = "signed_off", "Signed off"
        SUPERSEDED = "superseded", "Superseded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Scope(models.TextChoices):
        """How much assessment the screening decided the activity needs."""

        FULL = "full", "Full assessment"
        PROPORTIONATE = "proportionate", "Proportionate assessment"
        NONE = "none", "No assessment needed"

    class Screening(models.TextChoices):
        """Where the screening stands; blank for assessments created before screening existed."""

        NOT_SCREENED = "", "Not screened"
        IN_PROGRESS = "in_progress", "In progress"
        SENT = "sent", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        RETURNED = "returned", "Returned"

    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)
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
    # Where the activity takes place: all of London, or the local authorities linked.
    london_wide = models.BooleanField("London-wide", default=False)
    local_authorities = models.ManyToManyField(
        "places.LocalAuthority", blank=True, related_name="assessments", verbose_name="local authorities"
    )
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    version_number = models.PositiveIntegerField(default=1)
    # The version this one re-assesses. A withdrawn re-assessment does not block a new one.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions"
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
    # The screening's decision (full until it says otherwise) and where the screening stands.
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.FULL)
    screening_status = models.CharField(max_length=20, choices=Screening.choices, blank=True, default="")
    # Grows by one with every saved change to the assessment's content.
    revision = models.PositiveIntegerField(default=0)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "revision"], m2m_fields=[local_authorities])

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("review_assessment", "Can review assessments and request changes"),
            ("sign_off_assessment", "Can sign off assessments"),
        ]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["-updated_at", "-id"], name="assessment_recent_first"),
            # Signed-off assessments whose review is due, counted and listed on the dashboard.
            models.Index(
                fields=["review_date", "reference"],
                condition=Q(status="signed_off"),
                name="signed_off_by_review_date",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["previous"],
                condition=~Q(status="withdrawn"),
                name="one_live_reassessment",
                violation_error_message="A re-assessment of this assessment has already started.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            refuse_content_change_if_frozen(self, CONTENT_FIELDS_OF_ASSESSMENT)
            self._refuse_thawing()
        super().save(*args, **kwargs)

    def _refuse_thawing(self) -> None:
        """A signed-off assessment stays signed off; it can only become superseded."""
        stored = Assessment.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        allowed = {stored, self.Status.SUPERSEDED} if stored == self.Status.SIGNED_OFF else {stored}
        if stored in self.FROZEN_STATUSES and self.status not in allowed:
            raise FrozenAssessmentError()

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

    @property
    def is_screened(self) -> bool:
        """Created with a screening (those created before screening existed are full assessments)."""
        return bool(self.screening_status)

    @property
    def needs_no_assessment(self) -> bool:
        """Its screening decided that no assessment is needed: the screening is the record."""
        return self.scope == self.Scope.NONE

    @property
    def screening_decided(self) -> bool:
        """The screening was sent with its decision: the sections that follow it may start."""
        return not self.is_screened or self.screening_status in (
            self.Screening.SENT,
            self.Screening.CONFIRMED,
        )

    @cached_property
    def live_next_version(self) -> "Assessment | None":
        """The re-assessment of this one that is not withdrawn, if any."""
        return self.next_versions.exclude(status=self.Status.WITHDRAWN).first()


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
