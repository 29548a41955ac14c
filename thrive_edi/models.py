"""What the project keeps about a person beyond their account: how they want to hear from the
service, when they last looked at their home page, and the emails kept for their daily digest."""

from django.conf import settings
from django.db import models


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "As each one happens"
    DAILY = "daily", "Once a day, in one email (a daily digest)"


class Preferences(models.Model):
    """A person's choices; made the first time they are read."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="preferences"
    )
    email_frequency = models.CharField(
        max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    # The start of the person's last visit to their home page: what is new is what came after.
    last_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"


class DigestEntry(models.Model):
    """One notification kept for a person's daily digest, until the digest sends it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "digest entries"
        indexes = [
            models.Index(
                fields=["user", "created_at"], condition=models.Q(sent_at__isnull=True), name="digest_waiting"
            )
        ]

    def __str__(self) -> str:
        return self.subject
