"""What waits for a member of staff on their home page: assessments and screenings returned to
them, review comments to address and actions due. (Approvers' queue: ``receivers.review_queue``.)"""

from datetime import timedelta

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from assessments.models import Action, Assessment, ReviewComment
from thrive_edi.roles import role_grants

SHOWN = 10
ACTIONS_DUE_WITHIN = timedelta(days=7)
OPEN_ACTION_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


def returned_to(user) -> list[Assessment]:
    """Assessments the person works on that an approver returned, with their open comments."""
    open_comments = Count(
        "comments", filter=Q(comments__parent__isnull=True, comments__resolved_at__isnull=True)
    )
    return list(
        Assessment.objects.involving(user)
        .filter(status=Assessment.Status.CHANGES_REQUESTED)
        .annotate(open_comments=open_comments)
        .order_by("-updated_at", "-pk")[:SHOWN]
    )


def screenings_returned_to(user) -> list[Assessment]:
    """Screenings of the person's assessments that an approver returned to think again."""
    return list(
        Assessment.objects.involving(user)
        .filter(screening_status=Assessment.Screening.RETURNED, status__in=Assessment.EDITABLE_STATUSES)
        .order_by("-updated_at", "-pk")[:SHOWN]
    )


def comments_to_address(user) -> list[ReviewComment]:
    """Unresolved review comments on the person's assessments that they can still act on."""
    editable = Assessment.objects.involving(user).filter(status__in=Assessment.EDITABLE_STATUSES)
    return list(
        ReviewComment.objects.filter(assessment__in=editable, parent__isnull=True, resolved_at__isnull=True)
        .select_related("assessment", "author", "section")
        .order_by("-created_at", "-pk")[:SHOWN]
    )


def actions_due(user) -> list[Action]:
    """The person's open actions due within a week or overdue, soonest first."""
    today = timezone.localdate()
    return list(
        Action.objects.filter(
            owner=user,
            status__in=OPEN_ACTION_STATUSES,
            due_date__lte=today + ACTIONS_DUE_WITHIN,
            assessment__in=Assessment.objects.visible_to(user),
        )
        .exclude(assessment__status=Assessment.Status.WITHDRAWN)
        .select_related("assessment")
        .order_by("due_date", "pk")[:SHOWN]
    )


def staff_waiting(sender, request: HttpRequest, **kwargs) -> dict:
    """On a member of staff's home page: what waits for them in their assessments."""
    if not role_grants(request.user, "assessments.add_assessment"):
        return {}  # staff, and approvers with assessments of their own
    return {
        "returned": returned_to(request.user),
        "screenings_returned": screenings_returned_to(request.user),
        "comments_to_address": comments_to_address(request.user),
        "actions_due": actions_due(request.user),
        "today": timezone.localdate(),
    }
