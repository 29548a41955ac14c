import pytest
from playwright.sync_api import expect

from frameworks.models import FrameworkVersion
from frameworks.services import framework_version_copy, framework_version_publish

pytestmark = pytest.mark.browser


def test_the_framework_guide_is_accessible_and_its_guiding_questions_open(
    live_server, page, sign_in, axe_check, staff_user
):
    sign_in(page, staff_user)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Framework guide").click()
    assert page.url == f"{live_server.url}/framework/"
    assert page.get_by_role("heading", level=1).inner_text() == "Thrive LDN EDI Framework"
    question = page.get_by_text("Who benefits least today, and what in this design changes that?")
    expect(question).to_be_hidden()
    page.locator("#principle-equity summary").click()
    expect(question).to_be_visible()
    axe_check(page)


def test_principle_and_characteristic_pages_are_accessible(live_server, page, sign_in, axe_check, board_user):
    sign_in(page, board_user)
    page.goto(f"{live_server.url}/framework/")
    page.get_by_role("link", name="Dismantling oppressive power structures").click()
    assert page.url == f"{live_server.url}/framework/principles/sharing_power/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dismantling oppressive power structures")
    expect(page.get_by_text("Who decides, and who holds the budget?")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the framework guide").click()
    page.get_by_role("link", name="No recourse to public funds").click()
    assert page.url == f"{live_server.url}/framework/characteristics/nrpf/"
    expect(page.get_by_role("heading", level=1)).to_have_text("No recourse to public funds")
    axe_check(page)


def test_an_earlier_version_stays_readable_and_accessible(
    live_server, page, sign_in, axe_check, approver_user
):
    earlier = FrameworkVersion.objects.current()
    framework_version_publish(version=framework_version_copy(version=earlier, label="2024/25"))
    sign_in(page, approver_user)
    page.goto(f"{live_server.url}{earlier.get_absolute_url()}")
    expect(page.get_by_text("This is an earlier version of the framework (2022/23)")).to_be_visible()
    axe_check(page)


def test_the_admin_preview_of_a_draft_is_accessible(
    live_server, page, sign_in, axe_check, admin_user_with_role
):
    draft = framework_version_copy(version=FrameworkVersion.objects.current(), label="2025/26")
    sign_in(page, admin_user_with_role)
    page.goto(f"{live_server.url}/admin/frameworks/frameworkversion/{draft.pk}/change/")
    page.get_by_role("link", name="Preview as staff see it").click()
    expect(page.get_by_text("Preview: this is how staff will see version 2025/26 (draft)")).to_be_visible()
    axe_check(page)
