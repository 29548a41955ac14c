from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, Assessment, ReminderSent
from assessments.reminders import reminders_send
from assessments.tests.factories import add_action, make_assessment


def signed_off_with(owner, *, review_in_days, action_due_in_days=None, **action_fields):
    today = timezone.localdate()
    assessment = make_assessment(owner)
    if action_due_in_days is not None:
        add_action(assessment, due_date=today + timedelta(days=action_due_in_days), **action_fields)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SIGNED_OFF, review_date=today + timedelta(days=review_in_days)
    )
    return assessment


@pytest.mark.django_db
def test_send_reminders_twice_sends_each_reminder_once(
    staff_user, approver_user, mailoutbox, django_capture_on_commit_callbacks
):
    signed_off_with(staff_user, review_in_days=20, action_due_in_days=5)
    signed_off_with(staff_user, review_in_days=-3, action_due_in_days=-2)
    signed_off_with(staff_user, review_in_days=200, action_due_in_days=30)  # nothing due yet
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 4
    assert sum("overdue" in subject for subject in subjects) == 2
    assert sum("due on" in subject for subject in subjects) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert len(mailoutbox) == 4
    assert ReminderSent.objects.count() == 4


@pytest.mark.django_db
def test_a_moved_due_date_is_a_new_event_to_remind_of(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    assessment = signed_off_with(staff_user, review_in_days=300, action_due_in_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        Action.objects.filter(assessment=assessment).update(due_date=timezone.localdate() + timedelta(days=6))
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_done_actions_and_drafts_get_no_reminders(staff_user, mailoutbox):
    signed_off_with(staff_user, review_in_days=300, action_due_in_days=-1, status=Action.Status.DONE)
    draft = make_assessment(staff_user)
    add_action(draft, due_date=timezone.localdate())
    assert reminders_send() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_my_actions_lists_overdue_actions_first(staff_user, client):
    assessment = make_assessment(staff_user)
    later = add_action(assessment, action="Later one", due_date=timezone.localdate() + timedelta(days=10))
    overdue = add_action(assessment, action="Overdue one", due_date=timezone.localdate() - timedelta(days=1))
    add_action(assessment, action="Someone else's", owner=None)
    client.force_login(staff_user)
    page = client.get(reverse("assessments:my_actions")).content.decode()
    assert page.index(overdue.action) < page.index(later.action)
    assert "Someone else's" not in page
    assert "Overdue" in page


@pytest.mark.django_db
def test_a_reminder_goes_at_once_even_to_someone_who_chose_a_daily_summary(
    staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    from thrive_edi.models import DigestEntry, EmailFrequency, Preferences

    Preferences.objects.create(user=staff_user, email_frequency=EmailFrequency.DAILY)
    signed_off_with(staff_user, review_in_days=300, action_due_in_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    assert [message.to for message in mailoutbox] == [[staff_user.email]]
    assert not DigestEntry.objects.exists()
