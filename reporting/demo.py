"""Demo content of the reporting app: PDFs of the signed-off demo assessments, board feedback and
one board pack. Loaded by `manage.py load_demo` (DEBUG only), after the demo assessments."""

from django.utils import timezone

from assessments.models import Assessment
from reporting import services
from reporting.models import BoardFeedback, BoardPack


def load_demo_content(users: dict) -> None:
    if BoardPack.objects.exists():
        return
    published = list(
        Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
        .select_related("snapshot")
        .order_by("pk")
    )
    if not published:
        return
    for assessment in published:
        services.pdf_render(snapshot_id=assessment.snapshot.pk)
    board, owner = users["board"], users["staff"]
    feedback = services.feedback_add(
        assessment=published[0],
        user=board,
        kind=BoardFeedback.Kind.RECOMMENDATION,
        text="Report uptake by ethnicity and deprivation to the board every quarter, not only at review.",
    )
    services.feedback_respond(
        feedback=feedback,
        user=owner,
        response="Quarterly figures by ethnicity and deprivation now go to the board's data sub-group.",
    )
    services.feedback_add(
        assessment=published[-1],
        user=board,
        kind=BoardFeedback.Kind.COMMENT,
        text="Good to see paid community panel members shaping the decisions.",
    )
    # Built as soon as it is made: the demo runs outside a transaction.
    services.board_pack_create(
        user=board,
        title="Advisory Board meeting",
        meeting_date=timezone.localdate(),
        assessments=[a for a in published if a.status == Assessment.Status.SIGNED_OFF],
    )
