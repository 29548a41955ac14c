"""Where activities take place, in a real browser: the details form's checkboxes and the
dashboard's map, each checked with axe."""

import pytest

from assessments.models import Assessment
from reporting.tests.factories import CAMDEN, NEWHAM, place, portfolio

pytestmark = pytest.mark.browser


def test_staff_say_where_an_activity_takes_place_and_london_wide_excludes_boroughs(
    live_server, page, axe_check, sign_in, staff_user
):
    sign_in(page, staff_user)
    page.goto(f"{live_server.url}/assessments/new/")
    page.get_by_label("Title of the activity").fill("Peer support in Newham")
    page.get_by_role("button", name="Create the assessment").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Select where the activity takes place" in summary.inner_text()
    assert page.get_by_label("Title of the activity").input_value() == "Peer support in Newham"
    axe_check(page)

    group = page.get_by_role("group", name="North East London")
    group.get_by_label("Newham").check()
    group.get_by_label("Hackney").check()
    page.get_by_label("London-wide").check()  # exclusive: the boroughs are cleared
    assert not group.get_by_label("Newham").is_checked()
    page.get_by_label("Newham").check()  # and a borough clears London-wide
    assert not page.get_by_label("London-wide").is_checked()
    page.get_by_label("Programme").check()
    axe_check(page)
    page.get_by_role("button", name="Create the assessment").click()
    page.wait_for_load_state()
    assessment = Assessment.objects.get()
    assert list(assessment.local_authorities.values_list("gss_code", flat=True)) == [NEWHAM]
    assert page.locator("#where-it-takes-place").inner_text() == "Newham"
    axe_check(page)


def test_the_dashboard_map_passes_axe_and_its_table_gives_the_same_numbers(
    live_server, page, axe_check, sign_in, board_user, staff_user
):
    place(portfolio(staff_user, 3, title="Newham"), NEWHAM)
    place(portfolio(staff_user, 1, title="Camden"), CAMDEN)
    portfolio(staff_user, 2, title="London", london_wide=True)
    sign_in(page, board_user)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.get_by_role("img", name="Signed-off assessments by local authority").is_visible()
    table = page.get_by_role(
        "table", name="Signed-off assessments by local authority: the numbers in the map"
    )
    assert table.get_by_role("row", name="Newham", exact=False).get_by_role("cell").nth(1).inner_text() == "3"
    assert table.get_by_role("row", name="London-wide").get_by_role("cell").nth(1).inner_text() == "2"
    assert "2 London-wide assessments" in page.locator("#figure-london-wide").inner_text()
    axe_check(page)

    page.get_by_label("Where the activity takes place").select_option(CAMDEN)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert page.locator("#figure-assessments").inner_text() == "3"  # Camden's one and the London-wide two
    axe_check(page)
