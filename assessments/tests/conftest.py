"""Fixtures shared by the assessments app's tests."""

import pytest

from assessments.tests.factories import make_assessment, section_url


@pytest.fixture
def assessment(staff_user):
    """A new draft owned by the staff user; a test module may give its own (filled in, say)."""
    return make_assessment(staff_user)


@pytest.fixture
def erin(user_factory):
    """A second member of staff, who collaborates on the draft where a test module says so."""
    from thrive_edi.roles import Role

    return user_factory(username="erin", role=Role.STAFF, first_name="Erin", last_name="Okafor")


@pytest.fixture
def editor(client, staff_user):
    """The client, signed in as the draft's owner."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def people(staff_user, approver_user, board_user, admin_user_with_role, user_factory):
    """One person of each kind an assessment's rules tell apart; the draft is the owner's."""
    from thrive_edi.roles import Role

    return {
        "owner": staff_user,
        "collaborator": user_factory(username="erin", role=Role.STAFF),
        "other staff": user_factory(username="frank", role=Role.STAFF),
        "approver": approver_user,
        "board member": board_user,
        "admin without an assessing role": admin_user_with_role,
    }


@pytest.fixture
def open_section(live_server, sign_in):
    """Sign a user in, in a real browser, and open one of an assessment's section pages."""

    def _open(page, user, assessment, section_key):
        sign_in(page, user)
        page.goto(f"{live_server.url}{section_url(assessment, section_key)}")
        page.wait_for_load_state()
        return page

    return _open


@pytest.fixture
def open_section_without_javascript(browser, open_section):
    """As ``open_section``, in a new page of a browser with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)

    def _open(user, assessment, section_key):
        return open_section(context.new_page(), user, assessment, section_key)

    yield _open
    context.close()
