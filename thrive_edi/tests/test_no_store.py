"""Signed-in responses are never kept by a browser or a shared cache: pages, exports, PDFs."""

import pytest
from django.urls import reverse

from assessments import lifecycle, services
from assessments.tests.factories import fill_assessment, make_assessment
from assessments.tests.test_dates import typed
from reporting.models import BoardPack
from thrive_edi.tests.test_views import CLOSED_PAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_off(staff_user, approver_user, django_capture_on_commit_callbacks):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def board_pack(client, board_user, signed_off, django_capture_on_commit_callbacks):
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:pack_create"),
            {
                "title": "December meeting",
                "assessments": [signed_off.pk],
                **typed("meeting_date", "10", "12", "2026"),
            },
        )
    client.logout()
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.READY
    return pack


def authenticated_urls(assessment, pack) -> dict[str, list[str]]:
    """Every signed-in page the access tests name, plus exports and PDFs, by who reads them."""
    reference = assessment.reference
    return {
        "alice": [
            *CLOSED_PAGES,
            reverse("assessments:list"),
            reverse("assessments:create"),
            reverse("assessments:my_actions"),
            *(reverse(f"assessments:{name}", args=[reference]) for name in ("detail", "check", "history")),
            reverse("account:security"),
            reverse("reporting:exports"),
            "/exports/assessments.csv",
            "/exports/actions.xlsx",
            reverse("reporting:export_assessment", args=[reference]),
            reverse("reporting:assessment_pdf", args=[reference]),
        ],
        "charlie": [
            reverse("reporting:portal"),
            reverse("reporting:dashboard"),
            reverse("reporting:packs"),
            reverse("reporting:board_assessment", args=[reference]),
            reverse("reporting:pack_pdf", args=[pack.pk]),
            reverse("reporting:assessment_pdf", args=[reference]),
        ],
        "dana": [reverse("admin:index"), "/framework/"],
    }


def test_every_authenticated_url_answers_no_store(
    client, signed_off, board_pack, staff_user, board_user, admin_user_with_role
):
    users = {user.username: user for user in (staff_user, board_user, admin_user_with_role)}
    for username, urls in authenticated_urls(signed_off, board_pack).items():
        client.force_login(users[username])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            cache_control = response.get("Cache-Control", "")
            assert "no-store" in cache_control, (username, url, cache_control)
        client.logout()


def test_pdfs_are_no_longer_kept_for_an_hour(client, staff_user, signed_off):
    client.force_login(staff_user)
    response = client.get(reverse("reporting:assessment_pdf", args=[signed_off.reference]))
    assert response["Content-Type"] == "application/pdf"
    assert "max-age=3600" not in response["Cache-Control"]
