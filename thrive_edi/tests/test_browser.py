import pytest

from thrive_edi.roles import Role

pytestmark = pytest.mark.browser


def test_login_page_has_no_accessibility_violations(live_server, page, axe_check):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Thrive EDI"
    axe_check(page)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_to_an_accessible_home_page(live_server, page, sign_in, axe_check, user_factory, role):
    user = user_factory(username=f"user-{role.value}", role=role, first_name="Robin")
    sign_in(page, user)
    assert page.url == f"{live_server.url}/"
    assert "Welcome, Robin" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)
