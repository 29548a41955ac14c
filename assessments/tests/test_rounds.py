"""A reviewer's comments reach the team in one email per round, when the reviewer sends them."""

import pytest
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import ReviewRound
from assessments.rounds import COMMENTS_SENT_MESSAGE, NO_NEW_COMMENTS_MESSAGE
from assessments.tests.factories import fill_assessment, make_assessment
from frameworks.models import Section
from thrive_edi.models import DigestEntry, EmailFrequency, Preferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(staff_user, user_factory):
    from thrive_edi.roles import Role

    colleague = user_factory(username="erin", role=Role.STAFF, email="erin@example.org")
    assessment = fill_assessment(make_assessment(staff_user, collaborators=[colleague]), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    return assessment


@pytest.fixture
def reviewer(client, approver_user):
    client.force_login(approver_user)
    return client


def _comment(client, assessment, text):
    section = Section.objects.filter(version=assessment.framework_version).order_by("order").first()
    return client.post(
        reverse("assessments:comment_add", args=[assessment.reference]), {"section": section.pk, "text": text}
    )


def _send(client, assessment):
    return client.post(reverse("assessments:comments_send", args=[assessment.reference]), follow=True)


def test_comments_are_sent_in_one_email_when_the_reviewer_has_finished(
    reviewer, in_review, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _comment(reviewer, in_review, "Say who was asked.")
        _comment(reviewer, in_review, "Add the travel costs.")
    assert mailoutbox == []  # nothing per comment

    page = reviewer.get(reverse("assessments:review", args=[in_review.reference])).content.decode()
    assert "You have written 2 comments" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(reviewer, in_review)

    assert COMMENTS_SENT_MESSAGE in response.content.decode()
    [email] = mailoutbox
    assert staff_user.email
    assert sorted(email.to) == sorted([staff_user.email, "erin@example.org"])
    assert in_review.reference in email.subject
    assert "Say who was asked." in email.body and "Add the travel costs." in email.body
    assert ReviewRound.objects.get().comment_count == 2

    # Sending again without a new comment sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(reviewer, in_review)
    assert NO_NEW_COMMENTS_MESSAGE in response.content.decode()
    assert len(mailoutbox) == 1


def test_a_second_round_sends_only_its_own_comments(
    reviewer, in_review, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _comment(reviewer, in_review, "First round comment.")
        _send(reviewer, in_review)
        _comment(reviewer, in_review, "Second round comment.")
        _send(reviewer, in_review)

    assert len(mailoutbox) == 2
    assert "Second round comment." in mailoutbox[1].body
    assert "First round comment." not in mailoutbox[1].body


def test_a_team_member_who_chose_a_daily_summary_gets_no_email_now(
    reviewer, in_review, mailoutbox, django_capture_on_commit_callbacks
):
    erin = in_review.collaborators.get()
    Preferences.objects.create(user=erin, email_frequency=EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        _comment(reviewer, in_review, "Say who was asked.")
        _send(reviewer, in_review)

    [email] = mailoutbox
    assert "erin@example.org" not in email.to
    entry = DigestEntry.objects.get(user=erin)
    assert "Say who was asked." in entry.body


def test_only_a_reviewer_sends_comments(client, staff_user, in_review, mailoutbox):
    client.force_login(staff_user)

    response = client.post(reverse("assessments:comments_send", args=[in_review.reference]))

    assert response.status_code == 403
    assert not ReviewRound.objects.exists()


def test_sending_comments_needs_a_post(reviewer, in_review):
    response = reviewer.get(reverse("assessments:comments_send", args=[in_review.reference]))
    assert response.status_code == 405


def test_comments_cannot_be_sent_once_the_review_is_over(reviewer, in_review, approver_user, mailoutbox):
    _comment(reviewer, in_review, "Say who was asked.")
    lifecycle.assessment_request_changes(assessment=in_review, user=approver_user, reason="See comments.")

    response = reviewer.post(reverse("assessments:comments_send", args=[in_review.reference]))

    assert response.status_code == 403
    assert not ReviewRound.objects.exists()


def test_every_notice_about_an_assessment_follows_the_choice_of_a_daily_summary(
    in_review, approver_user, mailoutbox, django_capture_on_commit_callbacks
):
    """Changes requested and sign-off go the same way as review comments: at once to those who
    want each notice, into the day's digest for those who chose a daily summary."""
    erin = in_review.collaborators.get()
    Preferences.objects.create(user=erin, email_frequency=EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_request_changes(
            assessment=in_review, user=approver_user, reason="Name the venues."
        )
    [email] = mailoutbox
    assert in_review.owner.email in email.to and "erin@example.org" not in email.to
    assert "Name the venues." in DigestEntry.objects.get(user=erin).body

    services.assessment_submit(assessment=in_review, user=in_review.owner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=in_review, user=approver_user, declaration=True)
    assert all("erin@example.org" not in email.to for email in mailoutbox)
    assert any(in_review.owner.email in email.to for email in mailoutbox)
    assert DigestEntry.objects.filter(user=erin).count() == 2
