from assessments.models import Assessment
from thrive_edi.roles import Role, has_role

QUEUE_ON_HOME_PAGE = 10


def review_queue(sender, request, **kwargs) -> dict:
    """On an approver's home page: the assessments waiting for their review, oldest first."""
    if not has_role(request.user, Role.APPROVER):
        return {}
    waiting = (
        Assessment.objects.waiting_for_review_by(request.user)
        .select_related("owner")
        .order_by("submitted_at", "pk")
    )
    return {"review_queue": list(waiting[:QUEUE_ON_HOME_PAGE]), "review_queue_count": waiting.count()}
