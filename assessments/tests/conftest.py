"""Fixtures shared by the assessments app's tests."""

import pytest

from assessments.tests.factories import make_assessment


@pytest.fixture
def assessment(staff_user):
    """A new draft owned by the staff user; a test module may give its own (filled in, say)."""
    return make_assessment(staff_user)


@pytest.fixture
def editor(client, staff_user):
    """The client, signed in as the draft's owner."""
    client.force_login(staff_user)
    return client
