"""Every list, task-list, portal and dashboard page reads a fixed number of queries, whatever
the number of assessments: the same at a few as at many, and within its budget.

The budgets are today's counts, so that a new query on a page is a decision, not an accident,
and none may pass the target of 15 a page (also checked by ``bench/run.py`` at 1,000).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.pages import STAFF, counted_pages
from bench.seed import Seeder
from places.selectors import forget_known_place_groups

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 40

# The most queries each page may take. The names of places (filter options, the map) are kept
# by each process (``places.selectors.known_place_groups``), read by the first request.
BUDGETS = {
    "Assessments list, mine": 6,
    "Assessments list, all, page 2": 6,
    "Assessments list, all, filtered": 6,
    "Assessments list, board member": 6,
    "Assessments list, searched": 6,
    "Assessments list, by place": 6,
    # Its details and sections are kept after the first request until the assessment changes
    # (assessments.fragments: one read of the cache, a query with the database's cache of the
    # tests): neither its rows nor the rules' verdicts are read again.
    "Task list (draft)": 5,
    # Every section marked completed, and review comments: the rules are not asked again.
    "Task list (changes requested)": 6,
    # With the public register panel (one query) and its entries in the timeline (one query),
    # and the outcome review's panel (one query; its timeline entries only when there is one).
    # The signer, the snapshot's fingerprint and the live re-assessment, if any, in one query.
    # Its details and sections are kept after the first request (assessments.fragments): the
    # partners and the sections' progress are not read again.
    "Task list (signed off)": 12,
    # Its fields are kept too, until the assessment changes: the rows are not read again.
    "Section page (impact grid)": 5,
    "Check answers": 11,
    # Reads like a record: the version's wording of its scales, and the people named in rows.
    "History": 15,
    # With the device that verified the approver's second factor: django-otp reads it on every
    # request, so that a removed device ends the verification at once.
    # And how many of the approver's comments the team has not been told about yet.
    "Review": 15,
    "My actions": 3,
    "Board portal": 6,
    "Board portal, filtered": 5,
    "Board portal, searched": 6,
    "Board portal, by place": 6,
    # With the signed-off outcome review, if any (one query; two more for its rows).
    "Board: assessment page": 6,
    # With the predictions against outcomes, by group (one query, of the matching assessments'
    # reviews when filtered), and the counts by place (kept with the portfolio's counts); the
    # characteristics and principles in one query.
    "Dashboard": 11,
    "Dashboard, filtered": 14,
    "Dashboard, by place": 14,
}


MOST_QUERIES_A_PAGE = 15


def test_no_budget_passes_the_target():
    over = {page: budget for page, budget in BUDGETS.items() if budget > MOST_QUERIES_A_PAGE}
    assert not over, f"pages over {MOST_QUERIES_A_PAGE} queries: {over}"


def test_every_counted_page_has_a_budget():
    Seeder().seed(assessments=SMALL)
    assert set(counted_pages()) == set(BUDGETS)


def _queries(client, url: str, django_assert_max_num_queries, budget: int) -> int:
    # The first request of a session writes the session, and it reads the place names afresh:
    # names kept from an earlier test could pass their minute between it and the counted one.
    forget_known_place_groups()
    client.get(url)
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", BUDGETS)
def test_page_reads_the_same_number_of_queries_at_any_size(name, client, django_assert_max_num_queries):
    seeder = Seeder()
    seeder.seed(assessments=SMALL)
    page = counted_pages()[name]
    client.force_login(get_user_model().objects.get(username=page.reader))
    few = _queries(client, page.url, django_assert_max_num_queries, BUDGETS[name])

    seeder.seed(assessments=LARGE)
    assert counted_pages()[name] == page
    many = _queries(client, page.url, django_assert_max_num_queries, BUDGETS[name])

    assert few == many, f"{name}: {few} queries with {SMALL} assessments, {many} with {LARGE}"


def test_the_pages_show_more_rows_at_the_larger_size(client):
    """The sizes differ where it matters: the lists really hold more rows at the larger size."""
    seeder = Seeder()
    seeder.seed(assessments=SMALL)
    client.force_login(get_user_model().objects.get(username=STAFF))
    few = client.get(reverse("assessments:list") + "?scope=all").context["page"].paginator.count
    seeder.seed(assessments=LARGE)
    many = client.get(reverse("assessments:list") + "?scope=all").context["page"].paginator.count
    assert (few, many) == (SMALL, LARGE)
