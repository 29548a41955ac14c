"""An outcome review: what actually happened, against what a signed-off assessment predicted.

Scheduled at the assessment's sign-off, written by its owner and collaborators, signed off by an
approver, and then frozen as its own canonical JSON with its own SHA-256. The signed assessment
and its snapshot are never touched.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.models import Action, Assessment
from assessments.models.assessment import LONG_TEXT_MAX


class OutcomeReviewFrozenError(Exception):
    """A signed-off outcome review is never changed."""

    def __init__(self, message="This outcome review is signed off and can no longer be changed."):
        super().__init__(message)


class Result(models.TextChoices):
    """What happened to a predicted impact."""

    BETTER = "better", "Better than expected"
    AS_EXPECTED = "as_expected", "As expected"
    WORSE = "worse", "Worse than expected"
    NOT_KNOWN = "not_known", "Not known yet"


class Done(models.TextChoices):
    YES = "yes", "Done"
    PARTLY = "partly", "Partly done"
    NO = "no", "Not done"


class Worked(models.TextChoices):
    YES = "yes", "It worked"
    PARTLY = "partly", "It partly worked"
    NO = "no", "It did not work"
    NOT_KNOWN = "not_known", "Not known yet"


class OutcomeReviewQuerySet(models.QuerySet):
    def signed_off(self):
        return self.filter(status=OutcomeReview.Status.SIGNED_OFF)

    def due_by(self, day):
        """Reviews whose outcomes can be reviewed by ``day`` and that are not yet sent for sign-off."""
        return self.filter(due_on__lte=day, status__in=OutcomeReview.OPEN_STATUSES)


class OutcomeReview(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Waiting for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="outcome_review")
    due_on = models.DateField(help_text="When the outcomes can be reviewed.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    challenges = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    sustainability = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    voices = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    revision = models.PositiveIntegerField(default=0)
    reminded_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.TextField(blank=True, help_text="The signed-off review as canonical JSON.")
    sha256 = models.CharField(max_length=64, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutcomeReviewQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "reminded_on"])

    class Meta:
        indexes = [models.Index(fields=["status", "due_on"], name="outcome_review_status_due")]

    def __str__(self) -> str:
        return f"Outcome review of {self.assessment_id}"

    def save(self, *args, **kwargs) -> None:
        if (
            self.pk is not None
            and OutcomeReview.objects.filter(pk=self.pk, status=self.Status.SIGNED_OFF).exists()
        ):
            raise OutcomeReviewFrozenError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_signed_off:
            raise OutcomeReviewFrozenError()
        return super().delete(*args, **kwargs)

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF


class ReviewRow(models.Model):
    """A row of an outcome review; frozen once the review is signed off."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if OutcomeReview.objects.filter(pk=self.review_id, status=OutcomeReview.Status.SIGNED_OFF).exists():
            raise OutcomeReviewFrozenError()
        super().save(*args, **kwargs)


class ImpactOutcome(ReviewRow):
    """What happened to one impact the signed snapshot predicted (positive or negative)."""

    review = models.ForeignKey(OutcomeReview, on_delete=models.CASCADE, related_name="impacts")
    characteristic_key = models.CharField(max_length=100)
    characteristic_name = models.CharField(max_length=200)
    predicted = models.CharField(max_length=30, help_text="The impact key in the signed snapshot.")
    predicted_label = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "characteristic_key"], name="one_outcome_per_prediction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic_name}: {self.predicted_label}"


class ActionOutcome(ReviewRow):
    """Whether one action of the assessment was done, and whether it worked."""

    review = models.ForeignKey(OutcomeReview, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="+")
    done = models.CharField(max_length=10, choices=Done.choices, blank=True)
    worked = models.CharField(max_length=10, choices=Worked.choices, blank=True)
    note = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["action_id"]
        constraints = [models.UniqueConstraint(fields=["review", "action"], name="one_outcome_per_action")]

    def __str__(self) -> str:
        return f"Action {self.action_id}: {self.done or 'not answered'}"


class OutcomeEvent(models.Model):
    """A step in an outcome review's life, for the assessment's timeline."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Outcome review scheduled"
        SUBMITTED = "submitted", "Outcome review sent for sign-off"
        RETURNED = "returned", "Outcome review returned for changes"
        SIGNED_OFF = "signed_off", "Outcome review signed off"

    review = models.ForeignKey(OutcomeReview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.review_id})"
