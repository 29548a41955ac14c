import pytest

from outcomes.tests.factories import make_due, predicted_assessment


@pytest.fixture
def signed(staff_user, sign_off):
    """A signed-off assessment of the staff user's, predicting a negative impact on age and a
    positive one on race, with one action."""
    return sign_off(predicted_assessment(staff_user))


@pytest.fixture
def due_review(signed):
    return make_due(signed.outcome_review)


@pytest.fixture
def other_approver(user_factory):
    from thrive_edi.roles import Role

    return user_factory(username="erin", role=Role.APPROVER, first_name="Erin")
