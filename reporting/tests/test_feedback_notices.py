"""Emails about board feedback: to the team when it arrives, to the board member when the team
responds; once each, or in a daily summary for those who chose one."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.tests.factories import fill_assessment, make_assessment
from reporting.models import BoardFeedback
from thrive_edi.models import DigestEntry, EmailFrequency, Preferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(staff_user, sign_off, user_factory):
    """A signed-off assessment with a collaborator."""
    from thrive_edi.roles import Role

    colleague = user_factory(username="erin", role=Role.STAFF, email="erin@example.org")
    return sign_off(fill_assessment(make_assessment(staff_user, collaborators=[colleague]), user=staff_user))


def test_board_feedback_is_emailed_once_to_the_owner_and_collaborators(
    client, board_user, staff_user, team, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:feedback_add", args=[team.reference]),
            {"kind": "recommendation", "text": "Ask the youth panel again."},
        )

    [email] = mailoutbox
    assert sorted(email.to) == sorted([staff_user.email, "erin@example.org"])
    assert team.reference in email.subject
    assert "Ask the youth panel again." in email.body
    feedback = BoardFeedback.objects.get()
    assert f"#feedback-{feedback.pk}" in email.body


def test_a_response_is_emailed_once_to_the_board_member(
    client, board_user, staff_user, team, mailoutbox, django_capture_on_commit_callbacks
):
    feedback = BoardFeedback.objects.create(assessment=team, author=board_user, text="Who was asked?")
    mailoutbox.clear()
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:feedback_respond", args=[feedback.pk]), {"response": "The youth panel."}
        )

    [email] = mailoutbox
    assert email.to == [board_user.email]
    assert "Who was asked?" in email.body and "The youth panel." in email.body


def test_a_daily_summary_groups_the_days_notifications_in_one_email(
    client, board_user, staff_user, team, mailoutbox, django_capture_on_commit_callbacks
):
    Preferences.objects.create(user=staff_user, email_frequency=EmailFrequency.DAILY)
    mailoutbox.clear()
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        for text in ("First point.", "Second point.", "Third point."):
            client.post(
                reverse("reporting:feedback_add", args=[team.reference]), {"kind": "comment", "text": text}
            )

    # Erin hears at once, each time; Alice waits for her summary.
    assert len(mailoutbox) == 3
    assert all(email.to == ["erin@example.org"] for email in mailoutbox)
    assert DigestEntry.objects.filter(user=staff_user, sent_at__isnull=True).count() == 3
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=StringIO())

    [digest] = mailoutbox
    assert digest.to == [staff_user.email]
    assert "3 updates" in digest.subject
    body = digest.body
    assert body.index("First point.") < body.index("Second point.") < body.index("Third point.")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=StringIO())
    assert len(mailoutbox) == 1  # nothing twice


def test_a_response_saved_again_unchanged_is_not_emailed_again_and_a_changed_one_says_so(
    client, board_user, staff_user, team, mailoutbox, django_capture_on_commit_callbacks
):
    feedback = BoardFeedback.objects.create(assessment=team, author=board_user, text="Who was asked?")
    mailoutbox.clear()
    client.force_login(staff_user)
    url = reverse("reporting:feedback_respond", args=[feedback.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"response": "The youth panel."})
        client.post(url, {"response": "The youth panel. "})
    assert len(mailoutbox) == 1 and mailoutbox[0].subject.startswith("Response to your feedback")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"response": "The youth panel and two parents' groups."})
    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject.startswith("Changed response to your feedback")
    assert "has changed the response to" in mailoutbox[1].body
    assert "two parents' groups" in mailoutbox[1].body
