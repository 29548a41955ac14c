"""What the reporting app keeps: rendered PDFs of snapshots, board packs, board feedback and the
dashboard's kept counts."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Snapshot

FEEDBACK_MAX = 5_000


class RenderedPdf(models.Model):
    """The PDF of a signed-off assessment, rendered once from its snapshot and kept."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        # The snapshot no longer matches its fingerprint: nothing is rendered from it.
        REFUSED = "refused", "Refused: the record does not match its fingerprint"

    # A failed rendering is tried again after each of these in turn, then given up on (admins
    # can start it again). Never straight away: what failed is rarely fixed within seconds.
    RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8))
    MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)

    snapshot = models.OneToOneField(Snapshot, on_delete=models.PROTECT, related_name="pdf")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    file = models.FileField(upload_to="assessments/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    # When ``manage.py render_pdfs`` is to try (again) if the PDF is not ready by then; none
    # once it is ready, refused or given up on.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "rendered PDF"

    def __str__(self) -> str:
        return f"PDF of {self.snapshot.assessment.reference} ({self.get_status_display()})"

    @property
    def download_name(self) -> str:
        assessment = self.snapshot.assessment
        return f"{assessment.reference}-v{assessment.version_number}.pdf"

    @property
    def could_not_be_made(self) -> bool:
        """The last attempt failed or was refused: readers are told, admins have been."""
        return self.status in (self.Status.FAILED, self.Status.REFUSED)

    def retry_delay(self) -> timedelta | None:
        """How long to wait after the attempt just made, or None when it was the last."""
        if self.attempts <= len(self.RETRY_DELAYS):
            return self.RETRY_DELAYS[max(self.attempts, 1) - 1]
        return None

    def file_is_stored(self) -> bool:
        return bool(self.file.name) and self.file.storage.exists(self.file.name)


class BoardPack(models.Model):
    """Assessments chosen for an Advisory Board meeting, rendered as one PDF from their snapshots and kept."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=200)
    meeting_date = models.DateField()
    assessments = models.ManyToManyField(Assessment, related_name="board_packs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="board-packs/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-meeting_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_date:%d %B %Y})"

    @property
    def download_name(self) -> str:
        return f"board-pack-{self.meeting_date:%Y-%m-%d}-{self.pk}.pdf"


class BoardFeedback(models.Model):
    """The Advisory Board's comment or recommendation on an assessment, and the owner's response."""

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        RECOMMENDATION = "recommendation", "Recommendation"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="board_feedback")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(max_length=FEEDBACK_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(max_length=FEEDBACK_MAX, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    # Every earlier wording of a response is kept: "you said, we did" is a record.
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "board feedback"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.assessment_id}"


class Portfolio(models.Model):
    """The one row that sign-offs and recounts lock in turn before they change the kept counts.

    Made by the migration (and again after a flush), so that there is always a row to lock.
    """

    counted_at = models.DateTimeField(null=True, blank=True)  # last counted afresh

    def __str__(self) -> str:
        return f"Portfolio counted {self.counted_at or 'never'}"


class PortfolioCount(models.Model):
    """One number of the dashboard over the whole portfolio, kept as assessments are signed off.

    ``figure``, ``row`` and ``column`` name the cell of a tally (``reporting.insight``); the
    cell ``("assessments", "", "")`` counts the assessments, and its presence says the
    portfolio has been counted. Kept up to date by ``reporting.portfolio``.
    """

    figure = models.CharField(max_length=30)
    row = models.CharField(max_length=100, blank=True)
    column = models.CharField(max_length=40, blank=True)
    # Not a positive field: a kept count that went wrong must not stop a sign-off;
    # ``manage.py recount_portfolio --check`` finds it.
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["figure", "row", "column"], name="one_count_a_cell")]

    def __str__(self) -> str:
        return f"{self.figure} {self.row} {self.column}: {self.count}"
