"""Evidence attached to an assessment: links (title and address) and files.

Files are kept through Django's storage API under a private prefix with random names, and
served only by a view that checks who may read the assessment. Once the assessment is
submitted its evidence no longer changes (``assessments.evidence`` refuses), and once it is
signed off the rows themselves refuse any change, as every row of a frozen assessment does.
"""

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.models.assessment import SHORT_TEXT_MAX, Assessment
from assessments.models.rows import FrozenWithAssessment

EVIDENCE_PREFIX = "private/evidence"
URL_MAX = 2_000


def evidence_file_name(instance, filename: str) -> str:
    """A random name under the private prefix: nothing of the uploaded name reaches the disk."""
    return f"{EVIDENCE_PREFIX}/{secrets.token_hex(16)}"


class Evidence(FrozenWithAssessment):
    class Kind(models.TextChoices):
        LINK = "link", "Link"
        FILE = "file", "File"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The impact group the evidence supports; none: the assessment as a whole.
    characteristic = models.ForeignKey(
        "frameworks.Characteristic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="impact group",
    )
    title = models.CharField(max_length=SHORT_TEXT_MAX)
    url = models.URLField("address", max_length=URL_MAX, blank=True)
    file = models.FileField(upload_to=evidence_file_name, max_length=200, blank=True)
    file_name = models.CharField("file name", max_length=255, blank=True)  # as uploaded, shown and sent
    content_type = models.CharField(max_length=100, blank=True)  # as its content says
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE
