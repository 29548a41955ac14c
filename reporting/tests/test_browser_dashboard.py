"""The dashboard and the exports page in a real browser, for the Advisory Board and for staff."""

import pytest

from assessments.models import Assessment
from frameworks.scales import Impact
from reporting.tests.factories import portfolio, rate

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio_with_concerns(staff_user):
    rated = portfolio(staff_user, 2, status=Assessment.Status.DRAFT)
    rate(rated[:1], "race", impact=Impact.SIGNIFICANT_NEGATIVE, data_gap=True)
    Assessment.objects.filter(pk__in=rated).update(status=Assessment.Status.SIGNED_OFF)
    portfolio(staff_user, 3, title="<script>alert('x')</script>")
    portfolio(staff_user, 1, status=Assessment.Status.DRAFT, title="A draft")


@pytest.mark.parametrize("role_user", ["board_user", "staff_user"])
def test_the_dashboard_and_the_exports_page_pass_axe_with_charts_and_tables(
    live_server, page, axe_check, sign_in, request, portfolio_with_concerns, role_user
):
    sign_in(page, request.getfixturevalue(role_user))
    page.goto(f"{live_server.url}/dashboard/")
    heatmap = page.get_by_role("img", name="Impact ratings by characteristic")
    assert heatmap.is_visible()
    table = page.get_by_role("table", name="Impact ratings by characteristic: the numbers in the chart")
    race = table.get_by_role("row", name="Race", exact=False).first
    assert race.get_by_role("cell").nth(2).inner_text() == "4"  # Neutral
    assert race.get_by_role("cell").nth(4).inner_text() == "1"  # Significant negative
    assert page.get_by_role("img", name="Decisions").is_visible()
    assert page.locator("#figure-assessments").inner_text() == "5"
    assert "<script>alert('x')</script>: " not in page.content()
    axe_check(page)

    page.get_by_label("Activity type").select_option("policy")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.locator("#figure-assessments").inner_text() == "0"
    axe_check(page)

    page.get_by_role("link", name="Download the data as CSV, Excel or JSON").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Exports", exact=True).is_visible()
    assert page.get_by_role("link", name="CSV of assessments").is_visible()
    axe_check(page)
    page.get_by_label("Reference").fill("EIA-0000-0000")
    page.get_by_role("button", name="Download JSON").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    axe_check(page)
