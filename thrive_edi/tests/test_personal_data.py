"""Sign-in records in a person's export, and the retention periods applied to them."""

import io
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from thrive_edi.personal_data import Removed
from thrive_edi.signals import retention_due
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.test_settings import run_manage


def aged(model, *, days: int, username: str = "alice"):
    """A django-axes record made ``days`` ago."""
    extra = {"failures_since_start": 1} if model is AccessAttempt else {}
    record = model.objects.create(
        username=username, ip_address="198.51.100.7", user_agent="test", path_info="/sign-in/", **extra
    )
    model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return record


@pytest.mark.django_db
def export(username: str) -> dict:
    out = io.StringIO()
    call_command("personal_data", "export", username, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_the_export_holds_a_persons_sign_ins_and_failed_attempts_from_the_sign_in_page(client, staff_user):
    client.post(reverse("login"), {"username": staff_user.username, "password": "not it"})
    failed = export(staff_user.username)["failed_sign_in_attempts"]
    assert [(record["username"], record["failures"]) for record in failed] == [(staff_user.username, 1)]

    client.post(reverse("login"), {"username": staff_user.username, "password": TEST_PASSWORD})
    data = export(staff_user.username)
    assert [record["username"] for record in data["sign_ins"]] == [staff_user.username]
    assert data["account"]["last_sign_in"] is not None


@pytest.mark.django_db
def test_retention_removes_sign_in_records_older_than_their_periods_and_keeps_newer(settings):
    settings.RETENTION_FAILED_SIGN_IN_DAYS = 30
    settings.RETENTION_AUDIT_LOG_DAYS = 365
    _, new_attempt = aged(AccessAttempt, days=31), aged(AccessAttempt, days=29, username="bob")
    _, new_failure = aged(AccessFailureLog, days=31), aged(AccessFailureLog, days=29)
    _, new_sign_in = aged(AccessLog, days=366), aged(AccessLog, days=364)

    out = io.StringIO()
    call_command("apply_retention", stdout=out)

    assert set(AccessAttempt.objects.values_list("pk", flat=True)) == {new_attempt.pk}
    assert set(AccessFailureLog.objects.values_list("pk", flat=True)) == {new_failure.pk}
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {new_sign_in.pk}
    report = out.getvalue()
    assert "2 failed sign-in records older than 30 days" in report
    assert "1 audit log line older than 365 days" in report


@pytest.mark.django_db
def test_retention_changes_nothing_when_nothing_is_older_than_its_period():
    aged(AccessAttempt, days=1)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert AccessAttempt.objects.count() == 1
    assert "0 failed sign-in records" in out.getvalue()


def test_retention_periods_are_read_from_the_environment():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.RETENTION_FAILED_SIGN_IN_DAYS, s.RETENTION_AUDIT_LOG_DAYS, "
        "s.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS)",
        DEBUG="1",
        RETENTION_FAILED_SIGN_IN_DAYS="7",
        RETENTION_AUDIT_LOG_DAYS="30",
        RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS="60",
    )
    assert result.stdout.split() == ["7", "30", "60"], result.stderr


@pytest.mark.django_db
def test_an_app_that_keeps_contact_details_removes_them_when_retention_is_due(settings):
    settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS = 180
    seen = []

    def clear_contact_details(sender, now, **kwargs):
        seen.append(now)
        days = settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS
        return [Removed("community feedback contact details", 3, days)]

    retention_due.connect(clear_contact_details, dispatch_uid="test.contact_details")
    try:
        out = io.StringIO()
        call_command("apply_retention", stdout=out)
    finally:
        retention_due.disconnect(dispatch_uid="test.contact_details")
    assert len(seen) == 1
    assert "Removed 3 community feedback contact details older than 180 days." in out.getvalue()


@pytest.mark.django_db
def test_an_email_address_two_accounts_share_is_refused_with_a_request_for_the_username(user_factory):
    user_factory(username="sam1", email="sam@example.org")
    user_factory(username="sam2", email="SAM@example.org")
    with pytest.raises(CommandError, match="give the username instead"):
        call_command("personal_data", "erase", "sam@example.org", "--yes")
    assert export("sam2")["account"]["email"] == "SAM@example.org"
