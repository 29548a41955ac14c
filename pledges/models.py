"""The partnership's pledges, their numbered commitments in versions, what serves them, and
the Pledge progress report.

A pledge version is written as a draft, then published; from then on its text never changes
(publishing a later version retires it). To change a commitment, admins create a new draft
version from the current one. No commitment text comes from the code: admins write it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

FROZEN_MESSAGE = (
    "This pledge version is published, so its text can no longer change. "
    "Create a new draft version from it to make changes."
)
REPORT_SIGNED_OFF_MESSAGE = (
    "This Pledge progress report is signed off, so its narrative can no longer change."
)


class FrozenPledgeError(ValidationError, PermissionDenied):
    """A change to a published (or retired) pledge version or its commitments was refused."""

    def __init__(self, message: str = FROZEN_MESSAGE):
        super().__init__(message, code="frozen")


class Pledge(models.Model):
    """A pledge the partnership has made; what it says lives in its versions."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PledgeVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        content = {"label", "introduction", "pledge", "pledge_id"} & kwargs.keys()
        if content and self.exclude(status=PledgeVersion.Status.DRAFT).exists():
            raise FrozenPledgeError()
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=PledgeVersion.Status.DRAFT).exists():
            raise FrozenPledgeError()
        return super().delete()


class PledgeVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published (current)"
        RETIRED = "retired", "Retired"

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(max_length=40, help_text='How the version is known, such as "2025".')
    introduction = models.TextField(blank=True, help_text="What the pledge says, before its commitments.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PledgeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["pledge__name", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "label"], name="pledges_unique_version_label"),
            models.UniqueConstraint(
                fields=["pledge"],
                condition=models.Q(status="published"),
                name="pledges_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pledge} ({self.label})"

    def save(self, *args, **kwargs) -> None:
        if self.pk and PledgeVersion.objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            stored = PledgeVersion.objects.get(pk=self.pk)
            if (stored.label, stored.introduction, stored.pledge_id) != (
                self.label,
                self.introduction,
                self.pledge_id,
            ):
                raise FrozenPledgeError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if PledgeVersion.objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise FrozenPledgeError()
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class CommitmentQuerySet(models.QuerySet):
    def current(self) -> CommitmentQuerySet:
        """Commitments of each pledge's published version: the ones work can be linked to."""
        return self.filter(version__status=PledgeVersion.Status.PUBLISHED)

    def _refuse_if_frozen(self) -> None:
        if self.exclude(version__status=PledgeVersion.Status.DRAFT).exists():
            raise FrozenPledgeError()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()


class Commitment(models.Model):
    """One numbered commitment of a pledge version. Work is linked to it; the report counts work
    by pledge and number, across the pledge's versions."""

    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    text = models.TextField()
    starts_on = models.DateField(help_text="The first day of the period the commitment covers.")
    ends_on = models.DateField(
        null=True, blank=True, help_text="The last day of the period it covers (empty: open-ended)."
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="pledges_unique_commitment_number"),
        ]

    def __str__(self) -> str:
        return f"Commitment {self.number}: {self.name}"

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    @property
    def key(self) -> str:
        """The same commitment in every version of its pledge: its pledge and its number."""
        return commitment_key(self.version.pledge_id, self.number)

    @property
    def period_text(self) -> str:
        from thrive_edi.dates import day_text

        end = day_text(self.ends_on) if self.ends_on else "open-ended"
        return f"{day_text(self.starts_on)} to {end}"

    def clean(self) -> None:
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The period must end on or after the day it starts."})

    def _refuse_if_frozen(self) -> None:
        versions = [self.version_id]
        if self.pk:
            versions.append(Commitment.objects.filter(pk=self.pk).values("version_id")[:1])
        if (
            PledgeVersion.objects.filter(pk__in=[v for v in versions if v is not None])
            .exclude(status=PledgeVersion.Status.DRAFT)
            .exists()
        ):
            raise FrozenPledgeError()


def commitment_key(pledge_id: int, number: int) -> str:
    return f"{pledge_id}-{number}"


class AssessmentCommitment(models.Model):
    """An assessment serves a commitment."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="pledge_links"
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="assessment_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "commitment"], name="pledges_unique_assessment_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} serves {self.commitment_id}"


class ActionCommitment(models.Model):
    """An action serves a commitment. An action without links of its own serves its assessment's."""

    action = models.ForeignKey("assessments.Action", on_delete=models.CASCADE, related_name="pledge_links")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="action_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "commitment"], name="pledges_unique_action_link"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} serves {self.commitment_id}"


class PledgeReport(models.Model):
    """The Pledge progress report of one financial year: drafted from the record until an
    approver signs it off, then kept as the signed document with its fingerprint."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"

    year = models.PositiveIntegerField(unique=True, help_text="The year the financial year starts in.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    document = models.TextField(blank=True, help_text="Canonical JSON of the signed report.")
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Pledge progress report {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("pledges:report", args=[self.year])

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.SIGNED_OFF

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


class ReportNarrative(models.Model):
    """What staff write for one part of one commitment in a report."""

    class Part(models.TextChoices):
        DID = "did", "What we did"
        OUTCOMES = "outcomes", "Outcomes"
        CHALLENGES = "challenges", "Challenges"
        SUSTAINABILITY = "sustainability", "Sustainability"
        FIGURES = "figures", "Figures"

    report = models.ForeignKey(PledgeReport, on_delete=models.CASCADE, related_name="narratives")
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    part = models.CharField(max_length=20, choices=Part.choices)
    text = models.TextField(max_length=10000, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    # Every wording and who wrote it: whoever wrote any of a report's narrative, even if someone
    # else rewrote it since, may not sign the report off.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "pledge", "number", "part"], name="pledges_unique_narrative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.pledge_id}-{self.number} {self.part}"

    def save(self, *args, **kwargs) -> None:
        if PledgeReport.objects.filter(pk=self.report_id, status=PledgeReport.Status.SIGNED_OFF).exists():
            raise PermissionDenied(REPORT_SIGNED_OFF_MESSAGE)
        super().save(*args, **kwargs)
