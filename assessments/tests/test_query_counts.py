"""Every list, task-list, portal and dashboard page reads a fixed number of queries, whatever
the number of assessments: the same at a few as at many, and within its budget.

The budgets are today's counts, so that a new query on a page is a decision, not an accident,
and none may pass the target of 15 a page (also checked by ``bench/run.py`` at 1,000).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.management.commands.seed_demo import Seeder
from assessments.models import Action, Assessment

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 40
STAFF, APPROVER, BOARD = "seed-staff-01", "seed-approver-01", "seed-board-01"
OWNER = "the owner of the page's assessment"

# page: (who reads it, the most queries it may take)
BUDGETS = {
    "assessments list, mine": (STAFF, 6),
    "assessments list, all, page 2": (STAFF, 6),
    "assessments list, all, filtered": (STAFF, 6),
    "assessments list, board member": (BOARD, 6),
    "task list of a draft": (STAFF, 10),
    # Every section marked completed, so every rule reads its rows; and review comments.
    "task list of an assessment with changes requested": (OWNER, 15),
    "task list of a signed-off assessment": (STAFF, 12),
    "section page with the impact grid": (STAFF, 7),
    "check answers": (STAFF, 11),
    "history": (STAFF, 14),
    "review": (APPROVER, 13),
    "my actions": (None, 3),  # read by the owner of the first action
    "board portal": (BOARD, 6),
    "board portal, filtered": (BOARD, 5),
    "dashboard": (BOARD, 10),
    "dashboard, filtered": (BOARD, 15),
}


MOST_QUERIES_A_PAGE = 15


def test_no_budget_passes_the_target():
    over = {page: budget for page, (_, budget) in BUDGETS.items() if budget > MOST_QUERIES_A_PAGE}
    assert not over, f"pages over {MOST_QUERIES_A_PAGE} queries: {over}"


def _url(page: str) -> str:
    draft = Assessment.objects.filter(owner__username=STAFF).order_by("pk").first()
    signed = Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF).order_by("pk").first()
    in_review = (
        Assessment.objects.filter(status=Assessment.Status.IN_REVIEW)
        .exclude(owner__username=APPROVER)
        .exclude(collaborators__username=APPROVER)
        .order_by("pk")
        .first()
    )
    changes = _changes_requested()
    lists = reverse("assessments:list")
    urls = {
        "assessments list, mine": lambda: lists,
        "assessments list, all, page 2": lambda: f"{lists}?scope=all&page=2",
        "assessments list, all, filtered": lambda: f"{lists}?scope=all&status=signed_off&q=in&sort=title",
        "assessments list, board member": lambda: lists,
        "task list of a draft": lambda: reverse("assessments:detail", args=[draft.reference]),
        "task list of an assessment with changes requested": lambda: reverse(
            "assessments:detail", args=[changes.reference]
        ),
        "task list of a signed-off assessment": lambda: reverse(
            "assessments:detail", args=[signed.reference]
        ),
        "section page with the impact grid": lambda: reverse(
            "assessments:section", args=[draft.reference, "impacts"]
        ),
        "check answers": lambda: reverse("assessments:check", args=[signed.reference]),
        "history": lambda: reverse("assessments:history", args=[signed.reference]),
        "review": lambda: reverse("assessments:review", args=[in_review.reference]),
        "my actions": lambda: reverse("assessments:my_actions"),
        "board portal": lambda: reverse("reporting:portal"),
        "board portal, filtered": lambda: (
            reverse("reporting:portal") + "?negative_for=race&not_considered=equity&activity_type=programme"
        ),
        "dashboard": lambda: reverse("reporting:dashboard"),
        "dashboard, filtered": lambda: (
            reverse("reporting:dashboard")
            + "?negative_for=race&not_considered=equity&activity_type=programme"
        ),
    }
    return urls[page]()


def _changes_requested() -> Assessment:
    return Assessment.objects.filter(status=Assessment.Status.CHANGES_REQUESTED).order_by("pk").first()


def _reader(page: str):
    username = BUDGETS[page][0]
    if username == OWNER:
        return _changes_requested().owner
    if username is None:
        username = (
            Action.objects.filter(owner__isnull=False)
            .order_by("pk")
            .values_list("owner__username", flat=True)[0]
        )
    return get_user_model().objects.get(username=username)


def _queries(client, url: str, django_assert_max_num_queries, budget: int) -> int:
    client.get(url)  # the first request of a session writes the session: not the page's cost
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", BUDGETS)
def test_page_reads_the_same_number_of_queries_at_any_size(page, client, django_assert_max_num_queries):
    seeder = Seeder()
    seeder.seed(assessments=SMALL)
    url = _url(page)
    client.force_login(_reader(page))
    budget = BUDGETS[page][1]
    few = _queries(client, url, django_assert_max_num_queries, budget)

    seeder.seed(assessments=LARGE)
    assert _url(page) == url
    many = _queries(client, url, django_assert_max_num_queries, budget)

    assert few == many, f"{page}: {few} queries with {SMALL} assessments, {many} with {LARGE}"


def test_the_pages_show_more_rows_at_the_larger_size(client):
    """The sizes differ where it matters: the lists really hold more rows at the larger size."""
    seeder = Seeder()
    seeder.seed(assessments=SMALL)
    client.force_login(get_user_model().objects.get(username=STAFF))
    few = client.get(reverse("assessments:list") + "?scope=all").context["page"].paginator.count
    seeder.seed(assessments=LARGE)
    many = client.get(reverse("assessments:list") + "?scope=all").context["page"].paginator.count
    assert (few, many) == (SMALL, LARGE)
