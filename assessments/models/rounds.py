"""The end of a reviewer's round of comments, when the team is told about them in one email."""

from django.conf import settings
from django.db import models

from assessments.models.assessment import Assessment


class ReviewRound(models.Model):
    """A reviewer sent their comments to the assessment's team: each comment they wrote on it
    since their previous round went out in one email."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="review_rounds")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    comment_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["assessment", "reviewer", "-sent_at"], name="review_round_latest")]

    def __str__(self) -> str:
        return f"{self.comment_count} comments on {self.assessment_id}"
