"""The feedback form: spam refused politely, what an honest person typed kept, moderation first."""

import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from publication import forms, services
from publication.models import Feedback

pytestmark = pytest.mark.django_db

TYPED = "The groups should also meet on Saturdays, near the station."


def started(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=forms.STARTED_SALT)


def post(client, assessment, *, seconds_ago=10.0, **fields):
    data = {
        "text": TYPED,
        "name": "Ayesha",
        "email": "ayesha@example.org",
        "started": started(seconds_ago),
        **fields,
    }
    return client.post(reverse("publication:feedback", args=[assessment.reference]), data)


def test_feedback_is_stored_waiting_for_moderation_and_not_shown(client, published_assessment):
    response = post(client, published_assessment)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.text, feedback.name, feedback.email) == (TYPED, "Ayesha", "ayesha@example.org")
    assert feedback.status == Feedback.Status.PENDING
    page = client.get(reverse("publication:summary", args=[published_assessment.reference])).content.decode()
    assert TYPED not in page


def test_a_filled_honeypot_is_refused_keeping_what_was_typed(client, published_assessment):
    response = post(client, published_assessment, website="http://spam.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert str(forms.HONEYPOT_MESSAGE) in page and TYPED in page
    assert not Feedback.objects.exists()


def test_a_post_within_three_seconds_of_the_page_is_refused_keeping_what_was_typed(
    client, published_assessment
):
    response = post(client, published_assessment, seconds_ago=1)
    assert response.status_code == 400
    page = response.content.decode()
    assert str(forms.TOO_QUICK_MESSAGE) in page and TYPED in page and "ayesha@example.org" in page
    assert not Feedback.objects.exists()
    # The page carries a fresh time check: the same words sent again later are taken.
    fresh = response.context["form"].data["started"]
    assert forms.seconds_since_started(fresh) < 1


def test_a_forged_or_missing_time_check_is_refused(client, published_assessment):
    assert post(client, published_assessment, started="not-a-token").status_code == 400
    assert post(client, published_assessment, started="").status_code == 400
    assert not Feedback.objects.exists()


def test_the_sixth_post_from_one_address_within_the_window_is_refused_keeping_what_was_typed(
    client, published_assessment
):
    for number in range(5):
        assert post(client, published_assessment, text=f"{TYPED} {number}").status_code == 302
    response = post(client, published_assessment, text=f"{TYPED} sixth")
    assert response.status_code == 429
    page = response.content.decode()
    assert str(forms.RATE_LIMITED_MESSAGE) in page and f"{TYPED} sixth" in page
    assert Feedback.objects.count() == 5


def test_an_empty_or_wrong_form_gets_messages_not_an_error(client, published_assessment):
    response = post(client, published_assessment, text="", email="not-an-email")
    assert response.status_code == 400
    page = response.content.decode()
    assert str(forms.TEXT_REQUIRED_MESSAGE) in page and "Enter an email address like" in page
    response = post(client, published_assessment, text="x" * 5000)
    assert response.status_code == 400
    response = client.post(
        reverse("publication:feedback", args=[published_assessment.reference]),
        {"text": ["a", "b"], "started": "\x00"},
    )
    assert response.status_code == 400


def test_feedback_on_a_withdrawn_or_unknown_summary_answers_404(client, published_assessment, approver_user):
    assert client.get(reverse("publication:feedback", args=["EIA-1999-0001"])).status_code == 404
    services.publication_withdraw(
        publication=published_assessment.publication, user=approver_user, reason="Wrong."
    )
    assert post(client, published_assessment).status_code == 404


def test_approved_feedback_is_shown_with_the_answer_and_the_person_is_emailed(
    client, published_assessment, staff_user, django_capture_on_commit_callbacks
):
    post(client, published_assessment)
    feedback = Feedback.objects.get()
    client.force_login(staff_user)
    url = reverse("publication:moderate", args=[published_assessment.reference])
    assert TYPED in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "feedback": feedback.pk,
                f"feedback-{feedback.pk}-status": "approved",
                f"feedback-{feedback.pk}-answer": "Saturday groups start in May at Stratford library.",
            },
        )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.APPROVED and feedback.moderated_by == staff_user
    client.logout()
    page = client.get(reverse("publication:summary", args=[published_assessment.reference])).content.decode()
    assert TYPED in page and "Saturday groups start in May at Stratford library." in page
    assert "Ayesha" not in page and "ayesha@example.org" not in page
    assert [message.to for message in mail.outbox] == [["ayesha@example.org"]]
    assert "Saturday groups start in May" in mail.outbox[0].body


def test_only_the_owner_or_an_approver_moderates(client, published_assessment, user_factory):
    from thrive_edi.roles import Role

    other = user_factory(username="erin", role=Role.STAFF)
    client.force_login(other)
    assert (
        client.get(reverse("publication:moderate", args=[published_assessment.reference])).status_code == 403
    )


def test_rejected_feedback_is_never_shown(client, published_assessment, approver_user):
    feedback = services.feedback_add(assessment=published_assessment, text="Buy cheap watches")
    services.feedback_moderate(feedback=feedback, user=approver_user, status="rejected")
    page = client.get(reverse("publication:summary", args=[published_assessment.reference])).content.decode()
    assert "cheap watches" not in page
