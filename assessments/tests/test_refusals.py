"""A refused request says why, links back to the assessment and keeps what was typed."""

import logging

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import lifecycle, services
from assessments.models import Answer
from assessments.refusals import Refused
from assessments.tests.factories import answer_of, fill_assessment, make_assessment, section_data, section_url
from thrive_edi.roles import Role
from thrive_edi.views.pages import ROLE_REFUSAL

TYPED = "Listening events in Stratford, typed after the sign-off."


@pytest.fixture
def submitted(staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    return assessment


@pytest.fixture
def signed_off(submitted, approver_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=True)
    submitted.refresh_from_db()
    return submitted


def detail_link(assessment) -> str:
    return f'href="{reverse("assessments:detail", args=[assessment.reference])}"'


def assert_refused_with_a_link_back(response, reason: str, assessment) -> None:
    """A 403 page that gives ``reason``, not the one for a missing role, and links to the assessment."""
    page = response.content.decode()
    assert response.status_code == 403
    assert reason in page
    assert ROLE_REFUSAL not in page
    assert detail_link(assessment) in page


@pytest.mark.django_db
def test_a_bookmarked_section_of_a_signed_off_assessment_says_it_is_signed_off(
    client, signed_off, staff_user
):
    client.force_login(staff_user)
    response = client.get(section_url(signed_off, "evidence"))
    assert_refused_with_a_link_back(response, Refused.SIGNED_OFF, signed_off)


@pytest.mark.django_db
def test_answers_posted_to_a_frozen_section_are_shown_back_read_only_and_not_saved(
    client, signed_off, staff_user
):
    data = section_data(signed_off, "evidence", {"q-sources": TYPED})
    client.force_login(staff_user)
    response = client.post(section_url(signed_off, "evidence"), data)
    page = response.content.decode()
    assert response.status_code == 403
    assert Refused.SIGNED_OFF in page
    assert TYPED in page
    question = Answer.objects.get(assessment=signed_off, question__key="sources").question
    assert question.text in page  # each answer under its question
    assert "<textarea" not in page and 'name="q-sources"' not in page  # read-only
    assert answer_of(signed_off, "sources") != TYPED


@pytest.mark.django_db
def test_a_section_in_review_says_it_waits_for_the_approver(client, submitted, staff_user):
    client.force_login(staff_user)
    response = client.get(section_url(submitted, "evidence"))
    assert response.status_code == 403
    assert Refused.IN_REVIEW in response.content.decode()


@pytest.mark.django_db
def test_staff_who_are_not_on_the_team_are_told_so(client, staff_user, user_factory):
    other = user_factory(username="fola", role=Role.STAFF)
    assessment = make_assessment(staff_user)
    client.force_login(other)
    response = client.get(section_url(assessment, "evidence"))
    assert response.status_code == 403
    assert escape(Refused.NOT_INVOLVED) in response.content.decode()


@pytest.mark.django_db
def test_an_approver_signing_off_their_own_assessment_is_told_why(client, user_factory):
    owner = user_factory(username="gita", role=Role.APPROVER)
    assessment = fill_assessment(make_assessment(owner), user=owner)
    services.assessment_submit(assessment=assessment, user=owner)
    client.force_login(owner)
    response = client.get(reverse("assessments:sign_off", args=[assessment.reference]))
    assert_refused_with_a_link_back(response, Refused.SEPARATION_OF_DUTIES, assessment)


@pytest.mark.django_db
def test_a_second_sign_off_says_the_assessment_is_no_longer_in_review(client, signed_off, user_factory):
    other = user_factory(username="fola", role=Role.APPROVER)
    client.force_login(other)
    response = client.post(
        reverse("assessments:sign_off", args=[signed_off.reference]), {"declaration": "on"}
    )
    assert response.status_code == 403
    assert Refused.NOT_IN_REVIEW in response.content.decode()
    assert detail_link(signed_off) in response.content.decode()


@pytest.mark.django_db
def test_a_refusal_is_logged_once_as_a_structured_line_without_a_traceback(
    client, signed_off, staff_user, caplog
):
    client.force_login(staff_user)
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        client.get(section_url(signed_off, "evidence"))
    assert [r for r in caplog.records if r.name.startswith(("django.request", "django.security"))] == []
    (line,) = [r for r in caplog.records if r.name == "thrive_edi.security"]
    assert line.event == "permission_denied"
    assert line.reason == Refused.SIGNED_OFF
    assert line.exc_info is None
