import pytest

from assessments import lifecycle, services
from assessments.tests.factories import fill_assessment, make_assessment


@pytest.fixture
def sign_off(approver_user, django_capture_on_commit_callbacks):
    """Submit and sign off an assessment; the PDF is rendered as the sign-off commits."""

    def _sign_off(assessment, approver=approver_user):
        services.assessment_submit(assessment=assessment, user=assessment.owner)
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
        assessment.refresh_from_db()
        return assessment

    return _sign_off


@pytest.fixture
def signed_off(staff_user, sign_off):
    return sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
