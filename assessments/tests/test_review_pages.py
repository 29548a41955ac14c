"""The words of the review pages say what happens: after sign-off, on the sign-off page, on the
button that starts the next version and on the conflict page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments import lifecycle, services
from assessments.tests.factories import fill_assessment, make_assessment, section_data, section_url
from thrive_edi.roles import Role


@pytest.fixture
def submitted(staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    return assessment


def comment(assessment, author, text, *, reply_by=None):
    made = lifecycle.comment_add(assessment=assessment, user=author, text=text)
    if reply_by is not None:
        lifecycle.comment_reply(comment=made, user=reply_by, text="Done: see the evidence section.")
    return made


def detail(client, assessment) -> str:
    return client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()


@pytest.mark.django_db
def test_a_signed_off_assessment_no_longer_asks_for_comments_to_be_addressed(
    client, submitted, staff_user, approver_user, django_capture_on_commit_callbacks
):
    comment(submitted, approver_user, "Name the listening events.")
    client.force_login(staff_user)
    assert "Comments to address" in detail(client, submitted)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=True)
    page = detail(client, submitted)
    assert "Comments to address" not in page
    assert "Name the listening events." in page  # still on the record


@pytest.mark.django_db
def test_the_sign_off_page_names_comments_replied_to_but_not_resolved(client, submitted, approver_user):
    comment(submitted, approver_user, "Name the listening events.", reply_by=submitted.owner)
    resolved = comment(submitted, approver_user, "Spell out JSNA.")
    lifecycle.comment_resolve(comment=resolved, user=approver_user)
    client.force_login(approver_user)
    page = client.get(reverse("assessments:sign_off", args=[submitted.reference])).content.decode()
    assert "1 comment is not marked as resolved" in page
    assert "Name the listening events." in page
    assert "Spell out JSNA." not in page
    assert "1 reply" in page


@pytest.mark.django_db
def test_right_after_sign_off_the_button_offers_a_re_assessment(
    client, submitted, approver_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=True)
    client.force_login(approver_user)
    page = detail(client, submitted)
    assert "Start a re-assessment" in page
    assert "Start a review" not in page


@pytest.mark.django_db
def test_request_changes_is_not_drawn_as_a_destructive_action(client, submitted, approver_user):
    client.force_login(approver_user)
    page = client.get(reverse("assessments:review", args=[submitted.reference])).content.decode()
    (button,) = re.findall(r'<a [^>]*class="([^"]*)"[^>]*>Request changes</a>', page)
    assert "govuk-button--secondary" in button.split()
    assert "govuk-button--warning" not in button.split()


@pytest.mark.django_db
def test_a_conflict_with_your_own_save_in_another_tab_says_so(staff_user, user_factory):
    assessment = make_assessment(staff_user)
    first_tab, second_tab = Client(), Client()
    first_tab.force_login(staff_user)
    second_tab.force_login(staff_user)
    stale = section_data(assessment, "about")
    second_tab.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Tab two"})
    )
    response = first_tab.post(section_url(assessment, "about"), {**stale, "q-aims": "Tab one"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "You changed this in another tab or window" in page
    assert "Someone else changed" not in page


@pytest.mark.django_db
def test_a_conflict_with_a_colleague_still_names_them(staff_user, user_factory):
    erin = user_factory(username="erin", role=Role.STAFF, first_name="Erin", last_name="Okafor")
    assessment = make_assessment(staff_user, collaborators=[erin])
    alice, colleague = Client(), Client()
    alice.force_login(staff_user)
    colleague.force_login(erin)
    stale = section_data(assessment, "about")
    colleague.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Erin's"}))
    page = alice.post(section_url(assessment, "about"), {**stale, "q-aims": "Alice's"}).content.decode()
    assert "Someone else changed" in page
    assert "Erin Okafor saved this section" in page
    assert "You changed this in another tab" not in page
