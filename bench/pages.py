"""The pages whose queries are counted over seeded data, by the benchmark (``bench/inside.py``)
and by the suite (``test_query_counts``): one list, so that both count the same pages."""

from dataclasses import dataclass

from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import Action, Assessment
from thrive_edi.two_factor.policy import HAS_DEVICE_SESSION_KEY

STAFF, APPROVER, BOARD = "seed-staff-01", "seed-approver-01", "seed-board-01"


@dataclass(frozen=True)
class CountedPage:
    name: str
    reader: str  # the username of who reads it
    url: str


def _first(queryset, what: str) -> Assessment:
    found = queryset.order_by("pk").first()
    if found is None:
        raise LookupError(f"The seeded data holds no {what}: seed more assessments.")
    return found


def counted_pages() -> dict[str, CountedPage]:
    """Every list, task-list, portal and dashboard page, by name: who reads it, and where."""
    draft = _first(Assessment.objects.filter(owner__username=STAFF), f"assessment of {STAFF}")
    signed = _first(Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF), "signed-off assessment")
    in_review = _first(
        Assessment.objects.filter(status=Assessment.Status.IN_REVIEW)
        .exclude(owner__username=APPROVER)
        .exclude(collaborators__username=APPROVER),
        f"assessment in review that {APPROVER} may review",
    )
    # Every section marked completed, so that each rule reads its rows, and review comments.
    changes = _first(
        Assessment.objects.filter(status=Assessment.Status.CHANGES_REQUESTED).select_related("owner"),
        "assessment with changes requested",
    )
    action_owner = (
        Action.objects.filter(owner__isnull=False)
        .order_by("pk")
        .values_list("owner__username", flat=True)
        .first()
    )
    lists, portal, dashboard = (
        reverse("assessments:list"),
        reverse("reporting:portal"),
        reverse("reporting:dashboard"),
    )
    filters = "?negative_for=race&not_considered=equity&activity_type=programme"
    newham = "place=E09000025"  # a borough the seeder's titles name
    pages = [
        CountedPage("Assessments list, mine", STAFF, lists),
        CountedPage("Assessments list, all, page 2", STAFF, f"{lists}?scope=all&page=2"),
        CountedPage(
            "Assessments list, all, filtered", STAFF, f"{lists}?scope=all&status=signed_off&q=in&sort=title"
        ),
        CountedPage("Assessments list, board member", BOARD, lists),
        CountedPage("Assessments list, searched", STAFF, f"{lists}?scope=all&q=listening+events"),
        CountedPage("Assessments list, by place", STAFF, f"{lists}?scope=all&{newham}"),
        CountedPage("Task list (draft)", STAFF, reverse("assessments:detail", args=[draft.reference])),
        CountedPage(
            "Task list (changes requested)",
            changes.owner.username,
            reverse("assessments:detail", args=[changes.reference]),
        ),
        CountedPage("Task list (signed off)", STAFF, reverse("assessments:detail", args=[signed.reference])),
        CountedPage(
            "Section page (impact grid)",
            STAFF,
            reverse("assessments:section", args=[draft.reference, "impacts"]),
        ),
        CountedPage("Check answers", STAFF, reverse("assessments:check", args=[signed.reference])),
        CountedPage("History", STAFF, reverse("assessments:history", args=[signed.reference])),
        CountedPage("Review", APPROVER, reverse("assessments:review", args=[in_review.reference])),
        CountedPage("My actions", action_owner or STAFF, reverse("assessments:my_actions")),
        CountedPage("Board portal", BOARD, portal),
        CountedPage("Board portal, filtered", BOARD, portal + filters),
        CountedPage("Board portal, searched", BOARD, f"{portal}?q=trusted+community+spaces"),
        CountedPage("Board portal, by place", BOARD, f"{portal}?{newham}"),
        CountedPage(
            "Board: assessment page", BOARD, reverse("reporting:board_assessment", args=[signed.reference])
        ),
        CountedPage("Dashboard", BOARD, dashboard),
        CountedPage("Dashboard, filtered", BOARD, dashboard + filters),
        CountedPage("Dashboard, by place", BOARD, f"{dashboard}?{newham}"),
    ]
    return {page.name: page for page in pages}


def verify_in_session(client, user) -> None:
    """Mark the client's signed-in session as verified with an authenticator of the user's."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session  # a new store at each read: change and save the one read
    session.update({DEVICE_ID_SESSION_KEY: device.persistent_id, HAS_DEVICE_SESSION_KEY: True})
    session.save()
