"""Reminders of reviews and actions falling due. Safe to run every hour: each reminder is
recorded before it is sent, under a unique key, so the same one is never sent twice."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Action, Assessment, ReminderSent
from assessments.notifications import notice_context, team_of
from assessments.signals import reminders_requested
from thrive_edi.notices import notice_send

REVIEW_NOTICE_DAYS = 30
ACTION_NOTICE_DAYS = 7
OPEN_ACTION_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


def _send_once(kind: str, object_id: int, event_date: date, template: str, recipients, context) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, object_id=object_id, event_date=event_date)
            # Queued inside the transaction that records it: both happen, or neither does.
            notice_send(template, recipients=recipients, context=context, at_once=True)
    except IntegrityError:
        return False  # sent before
    return True


def reminders_send(*, today: date | None = None) -> int:
    """Send every reminder that is due and not yet sent; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    reviews = (
        Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF, review_date__isnull=False)
        .filter(review_date__lte=today + timedelta(days=REVIEW_NOTICE_DAYS))
        .select_related("owner")
        .prefetch_related("collaborators")
    )
    for assessment in reviews:
        overdue = assessment.review_date < today
        kind = ReminderSent.Kind.REVIEW_OVERDUE if overdue else ReminderSent.Kind.REVIEW_DUE
        context = notice_context(assessment)
        sent += _send_once(kind, assessment.pk, assessment.review_date, kind, team_of(assessment), context)

    actions = Action.objects.filter(
        status__in=OPEN_ACTION_STATUSES,
        owner__isnull=False,
        due_date__isnull=False,
        due_date__lte=today + timedelta(days=ACTION_NOTICE_DAYS),
        assessment__status=Assessment.Status.SIGNED_OFF,
    ).select_related("owner", "assessment")
    for action in actions:
        overdue = action.due_date < today
        kind = ReminderSent.Kind.ACTION_OVERDUE if overdue else ReminderSent.Kind.ACTION_DUE
        context = notice_context(action.assessment, action=action)
        sent += _send_once(kind, action.pk, action.due_date, kind, [action.owner], context)
    # Reminders other apps keep (outcome reviews due), each sent once by its app.
    sent += sum(count for _receiver, count in reminders_requested.send(sender=Assessment, today=today))
    return sent
