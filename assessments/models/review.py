"""The review of an assessment: comments, the events of its life, its snapshot and reminders."""

from django.conf import settings
from django.db import models

# Limits stated on the pages that use them.
from assessments.models.assessment import COMMENT_MAX, Assessment, FrozenAssessmentError


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
        REASSESSMENT_STARTED = "review_started", "Re-assessment started"  # stored as first named
        SCREENING_SENT = "screening_sent", "Screening sent for confirmation"
        SCREENING_CONFIRMED = "screening_confirmed", "Screening confirmed"
        SCREENING_RETURNED = "screening_returned", "Screening returned"

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
