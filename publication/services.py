"""Writes with rules: the public summary and its Easy Read version, the decision to publish,
withdrawal, community feedback and its moderation. Each is one transaction; each change that
Londoners see renews the mark of the register's cached pages once it commits."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from publication import caching, selectors
from publication.models import (
    PUBLIC_SUMMARY_FIELDS,
    EasyReadPoint,
    Feedback,
    Publication,
    PublicationEvent,
    PublicSummary,
)
from publication.permissions import may_decide_publication, may_moderate, may_write_summary
from thrive_edi.audit import log_security_event
from thrive_edi.tasks import send_email

NOT_EDITABLE_MESSAGE = "The public summary can only change while the assessment can be edited."
NOT_YOURS_TO_DECIDE_MESSAGE = (
    "Only an approver who did not work on the assessment decides what is published, once it is signed off."
)
NO_SUMMARY_MESSAGE = "There is no public summary to publish: choose not to publish, and say why."
REASON_REQUIRED_MESSAGE = "Say why it is not published"
WITHDRAW_REASON_REQUIRED_MESSAGE = "Say why it is withdrawn from the register"
ALREADY_WITHDRAWN_MESSAGE = "It has already been withdrawn from the register."
NOT_YOURS_TO_MODERATE_MESSAGE = "Only the assessment's owner or an approver moderates its feedback."
NOT_PUBLISHED_MESSAGE = "Feedback is taken only on a published summary."


def _register_changed() -> None:
    transaction.on_commit(caching.register_changed)


def _record(assessment: Assessment, kind: str, *, user, note: str = "") -> None:
    PublicationEvent.objects.create(assessment=assessment, kind=kind, actor=user, note=note)
    log_security_event(
        f"publication_{kind}", username=user.get_username() if user else None, assessment=assessment.reference
    )


@transaction.atomic
def summary_save(*, assessment: Assessment, user, values: dict[str, str]) -> PublicSummary:
    if not may_write_summary(user, assessment):
        raise PermissionDenied(NOT_EDITABLE_MESSAGE)
    summary, _created = PublicSummary.objects.select_for_update().get_or_create(
        assessment=assessment, defaults={name: values.get(name, "") for name in PUBLIC_SUMMARY_FIELDS}
    )
    for name in PUBLIC_SUMMARY_FIELDS:
        setattr(summary, name, values.get(name, ""))
    summary.updated_by = user
    summary.save()
    return summary


@transaction.atomic
def easy_read_save(*, assessment: Assessment, user, points: list[tuple[str, str]]) -> list[EasyReadPoint]:
    """Replace the Easy Read points with ``points``: (sentence, pictogram key), blanks left out."""
    if not may_write_summary(user, assessment):
        raise PermissionDenied(NOT_EDITABLE_MESSAGE)
    summary = PublicSummary.objects.select_for_update().filter(assessment=assessment).first()
    if summary is None:
        raise ValidationError("Write the public summary first.")
    summary.easy_read_points.all().delete()
    return EasyReadPoint.objects.bulk_create(
        EasyReadPoint(summary=summary, position=number, text=text.strip(), pictogram=picture)
        for number, (text, picture) in enumerate((p for p in points if p[0].strip()), start=1)
    )


@transaction.atomic
def publication_decide(*, assessment: Assessment, user, decision: str, reason: str = "") -> Publication:
    """The approver's decision, at or after sign-off. A decision may be changed until the
    publication is withdrawn; each is in the timeline and the audit log."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not may_decide_publication(user, assessment):
        raise PermissionDenied(NOT_YOURS_TO_DECIDE_MESSAGE)
    if decision in Publication.PUBLISHING_DECISIONS and not selectors.has_public_text(assessment):
        raise ValidationError(NO_SUMMARY_MESSAGE)
    if decision == Publication.Decision.NOT_PUBLISHED and not reason.strip():
        raise ValidationError(REASON_REQUIRED_MESSAGE)
    existing = Publication.objects.filter(assessment=assessment).first()
    if existing is not None and existing.is_withdrawn:
        raise ValidationError(ALREADY_WITHDRAWN_MESSAGE)
    publication, _created = Publication.objects.update_or_create(
        assessment=assessment,
        defaults={
            "decision": decision,
            "reason": reason.strip() if decision == Publication.Decision.NOT_PUBLISHED else "",
            "decided_at": timezone.now(),
            "decided_by": user,
        },
    )
    kind = (
        PublicationEvent.Kind.PUBLISHED if publication.is_published else PublicationEvent.Kind.NOT_PUBLISHED
    )
    _record(
        assessment,
        kind,
        user=user,
        note=publication.get_decision_display() + (f": {reason}" if reason else ""),
    )
    _register_changed()
    return publication


@transaction.atomic
def publication_withdraw(*, publication: Publication, user, reason: str) -> Publication:
    publication = Publication.objects.select_for_update().select_related("assessment").get(pk=publication.pk)
    if not may_decide_publication(user, publication.assessment):
        raise PermissionDenied(NOT_YOURS_TO_DECIDE_MESSAGE)
    if publication.is_withdrawn:
        raise ValidationError(ALREADY_WITHDRAWN_MESSAGE)
    if not reason.strip():
        raise ValidationError(WITHDRAW_REASON_REQUIRED_MESSAGE)
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_reason = reason.strip()
    publication.withdrawn_by = user
    publication.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    _record(publication.assessment, PublicationEvent.Kind.WITHDRAWN, user=user, note=reason.strip())
    _register_changed()
    return publication


@transaction.atomic
def feedback_add(*, assessment: Assessment, text: str, name: str = "", email: str = "") -> Feedback:
    publication = Publication.objects.filter(assessment=assessment).first()
    if publication is None or not publication.is_published:
        raise ValidationError(NOT_PUBLISHED_MESSAGE)
    return Feedback.objects.create(
        assessment=assessment, text=text.strip(), name=name.strip(), email=email.strip()
    )


@transaction.atomic
def feedback_moderate(*, feedback: Feedback, user, status: str, answer: str = "") -> Feedback:
    """Approve (shown with its answer) or reject (never shown) feedback; the person who left an
    email address is told once it is answered."""
    feedback = Feedback.objects.select_for_update().select_related("assessment").get(pk=feedback.pk)
    if not may_moderate(user, feedback.assessment):
        raise PermissionDenied(NOT_YOURS_TO_MODERATE_MESSAGE)
    now = timezone.now()
    newly_answered = bool(answer.strip()) and answer.strip() != feedback.answer
    if status != feedback.status:
        feedback.status, feedback.moderated_at, feedback.moderated_by = status, now, user
        kind = (
            PublicationEvent.Kind.FEEDBACK_APPROVED
            if status == Feedback.Status.APPROVED
            else PublicationEvent.Kind.FEEDBACK_REJECTED
        )
        _record(feedback.assessment, kind, user=user, note=f"Feedback {feedback.pk}")
    if newly_answered:
        feedback.answer, feedback.answered_at = answer.strip(), now
        _record(feedback.assessment, PublicationEvent.Kind.FEEDBACK_ANSWERED, user=user, note=answer.strip())
        if feedback.email and feedback.status == Feedback.Status.APPROVED:
            _tell_answered(feedback)
    feedback.save()
    _register_changed()
    return feedback


def _tell_answered(feedback: Feedback) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "publication:summary", args=[feedback.assessment.reference]
    )
    context = {"feedback": feedback, "assessment": feedback.assessment, "link": link}
    subject = " ".join(render_to_string("publication/emails/feedback_answered_subject.txt", context).split())
    body = render_to_string("publication/emails/feedback_answered.txt", context)
    recipients = [feedback.email]
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, recipients=recipients))


@transaction.atomic
def contact_details_remove(*, now: datetime) -> int:
    """Remove the names and email addresses left with feedback older than the retention period."""
    cutoff = now - timedelta(days=settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS)
    old = Feedback.objects.filter(created_at__lt=cutoff).exclude(name="", email="")
    return old.update(name="", email="", contact_removed_at=now)
