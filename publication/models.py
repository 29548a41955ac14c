"""What Londoners may read of an assessment: its public summary, its Easy Read version, the
approver's decision to publish it, and the feedback the public leaves on it.

Nothing here names a member of staff: the public pages read these models and the record's
own public parts (actions without owners, the decision and review date)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUMMARY_TEXT_MAX = 3_000
EASY_READ_TEXT_MAX = 300
REASON_MAX = 2_000
FEEDBACK_TEXT_MAX = 2_000
NAME_MAX = 100


class PublicSummary(models.Model):
    """The owner's plain-English summary of one version of an assessment, written while it can
    be edited and frozen with it at sign-off."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="public_summary"
    )
    activity = models.TextField(_("What the activity is"), max_length=SUMMARY_TEXT_MAX)
    reach = models.TextField(_("Who it reaches"), max_length=SUMMARY_TEXT_MAX)
    positive_findings = models.TextField(
        _("What we found: good effects, and for which groups"), max_length=SUMMARY_TEXT_MAX
    )
    negative_findings = models.TextField(
        _("What we found: harms or risks, and for which groups"), max_length=SUMMARY_TEXT_MAX
    )
    what_we_will_do = models.TextField(_("What we will do"), max_length=SUMMARY_TEXT_MAX)
    involvement = models.TextField(_("How Londoners were involved"), max_length=SUMMARY_TEXT_MAX)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "public summaries"

    def __str__(self) -> str:
        return f"Public summary of {self.assessment_id}"

    def text(self) -> str:
        return "\n".join(getattr(self, name) for name in PUBLIC_SUMMARY_FIELDS)


PUBLIC_SUMMARY_FIELDS = (
    "activity",
    "reach",
    "positive_findings",
    "negative_findings",
    "what_we_will_do",
    "involvement",
)


class EasyReadPoint(models.Model):
    """One point of the Easy Read version: a short sentence and the picture beside it."""

    summary = models.ForeignKey(PublicSummary, on_delete=models.CASCADE, related_name="easy_read_points")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=EASY_READ_TEXT_MAX)
    # A key of publication.pictograms.PICTOGRAMS.
    pictogram = models.CharField(max_length=40)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "position"], name="one_easy_read_point_per_position")
        ]

    def __str__(self) -> str:
        return self.text


class PublicationQuerySet(models.QuerySet):
    def published(self) -> "PublicationQuerySet":
        """Publications whose summary Londoners may read: decided so, not withdrawn."""
        return self.filter(decision__in=Publication.PUBLISHING_DECISIONS, withdrawn_at__isnull=True)

    def listed(self) -> "PublicationQuerySet":
        """Everything the register lists: published, withdrawn (marked so) and decisions not to publish."""
        return self.all()


class Publication(models.Model):
    """The approver's decision, at or after sign-off, about what of an assessment is published."""

    class Decision(models.TextChoices):
        SUMMARY = "summary", _("Publish the public summary and its Easy Read version")
        SUMMARY_AND_PDF = "summary_and_pdf", _("Publish the summary, its Easy Read version and the full PDF")
        NOT_PUBLISHED = "not_published", _("Do not publish")

    PUBLISHING_DECISIONS = (Decision.SUMMARY, Decision.SUMMARY_AND_PDF)

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="publication"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.SUMMARY)
    reason = models.TextField(max_length=REASON_MAX, blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=REASON_MAX, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["decision", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.assessment_id})"

    @property
    def is_published(self) -> bool:
        return self.decision in self.PUBLISHING_DECISIONS and self.withdrawn_at is None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def includes_full_pdf(self) -> bool:
        return self.is_published and self.decision == self.Decision.SUMMARY_AND_PDF


class PublicationEvent(models.Model):
    """A step of publication or moderation, for the assessment's timeline."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "Published on the public register"
        NOT_PUBLISHED = "not_published", "Decided not to publish"
        WITHDRAWN = "withdrawn", "Withdrawn from the public register"
        FEEDBACK_APPROVED = "feedback_approved", "Community feedback approved"
        FEEDBACK_REJECTED = "feedback_rejected", "Community feedback not shown"
        FEEDBACK_ANSWERED = "feedback_answered", "Community feedback answered"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="publication_events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.assessment_id})"


class Feedback(models.Model):
    """What a Londoner said about a published summary, shown once moderated, with the answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Shown on the register")
        REJECTED = "rejected", _("Not shown")

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="community_feedback"
    )
    text = models.TextField(max_length=FEEDBACK_TEXT_MAX)
    name = models.CharField(max_length=NAME_MAX, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(max_length=FEEDBACK_TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    contact_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return self.text[:80]
