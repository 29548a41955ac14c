import pytest

from publication.tests.factories import published


@pytest.fixture
def published_assessment(staff_user, approver_user):
    return published(staff_user, approver_user)
