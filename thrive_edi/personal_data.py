"""Personal data under UK GDPR: everything held about a person, exported; a person erased
from live data; retention periods applied.

What each app holds about a person comes from its receivers of the signals in
thrive_edi.signals, so that this module depends on no app."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from thrive_edi.audit import log_security_event
from thrive_edi.models import DigestEntry, EmailFrequency, Preferences
from thrive_edi.roles import user_roles
from thrive_edi.signals import personal_data_erased, personal_data_requested, retention_due
from thrive_edi.two_factor.services import second_factor_remove

NO_SUCH_PERSON_MESSAGE = "There is no user with the username or email address {identifier!r}."
AMBIGUOUS_PERSON_MESSAGE = "Several users have the email address {identifier!r}: give the username instead."
AUDIT_LOG_NOTE = (
    "Security events (sign-in, sign-out, failed sign-in, lock-out, second-factor and personal-data "
    "changes) are written as structured log lines (logger thrive_edi.security) to the log store, "
    "not to the database: search it for the username above. The database holds the sign-in "
    "records listed here."
)


# Who an erased person becomes on every live page and export: "Former staff member 12".
PSEUDONYM = "Former staff member"


def pseudonymous_username(user_id: int) -> str:
    return f"former-staff-{user_id}"


class PersonNotFound(LookupError):
    pass


def person_find(identifier: str):
    """The user with this username, or else this email address (ignoring case)."""
    users = get_user_model()._default_manager
    user = users.filter(username=identifier).first()
    if user is not None:
        return user
    matches = list(users.filter(email__iexact=identifier)[:2]) if identifier.strip() else []
    if len(matches) > 1:
        raise PersonNotFound(AMBIGUOUS_PERSON_MESSAGE.format(identifier=identifier))
    if not matches:
        raise PersonNotFound(NO_SUCH_PERSON_MESSAGE.format(identifier=identifier))
    return matches[0]


def _sign_in_records(username: str, email: str):
    """django-axes' records of signing in as a person, by the username or email address typed."""
    who = Q(username=username) | (Q(username__iexact=email) if email else Q(pk__in=[]))
    return [model.objects.filter(who) for model in (AccessLog, AccessFailureLog, AccessAttempt)]


def _sign_in_record(record) -> dict[str, Any]:
    return {
        "at": record.attempt_time,
        "username": record.username,
        "ip_address": record.ip_address,
        "user_agent": record.user_agent,
        "path": record.path_info,
    }


def _history_models():
    """Every model that django-simple-history keeps history in, with who made each change."""
    for model in apps.get_models():
        names = {field.name for field in model._meta.fields}
        if {"history_user", "history_date", "history_type"} <= names:
            yield model


def _history_of(user) -> list[dict[str, Any]]:
    lines = []
    for model in _history_models():
        rows = model.objects.filter(history_user=user).order_by("history_date", "history_id")
        for row in rows.values("history_id", "history_date", "history_type", "history_change_reason", "id"):
            lines.append(
                {
                    "record": model.instance_type._meta.verbose_name,
                    "record_id": row["id"],
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[row["history_type"]],
                    "at": row["history_date"],
                    "reason": row["history_change_reason"],
                }
            )
    return sorted(lines, key=lambda line: line["at"])


def personal_data_export(*, user) -> dict[str, Any]:
    """Everything held about ``user``, JSON-ready (dates as datetimes)."""
    username = user.get_username()
    sign_ins, failures, lock_outs = _sign_in_records(username, user.email)
    preferences = Preferences.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            "username": username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "active": user.is_active,
            "joined": user.date_joined,
            "last_sign_in": user.last_login,
        },
        "roles": sorted(role.group_name for role in user_roles(user)),
        "second_factor_devices": [
            {"name": device.name, "confirmed": device.confirmed}
            for device in devices_for_user(user, confirmed=None)
        ],
        "sign_ins": [_sign_in_record(record) for record in sign_ins],
        "failed_sign_ins": [
            {**_sign_in_record(record), "locked_out": record.locked_out} for record in failures
        ],
        "failed_sign_in_attempts": [
            {**_sign_in_record(record), "failures": record.failures_since_start} for record in lock_outs
        ],
        "audit_log": AUDIT_LOG_NOTE,
        "history": _history_of(user),
        "email_settings": {
            "email_frequency": preferences.email_frequency if preferences else EmailFrequency.IMMEDIATE,
            "last_home_page_visit": preferences.last_visit_at if preferences else None,
        },
        "daily_summary_entries": [
            {
                "subject": entry.subject,
                "body": entry.body,
                "created_at": entry.created_at,
                "sent_at": entry.sent_at,
            }
            for entry in DigestEntry.objects.filter(user=user)
        ],
    }
    for _receiver, part in personal_data_requested.send(sender=None, user=user):
        data.update(part or {})
    return data


def _sessions_end(user) -> int:
    """Sign the person out everywhere. Changing their password ends their sessions wherever they
    are stored (Django checks a hash of it on every request); sessions kept in the database are
    also deleted, so that nothing of them remains."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def personal_data_erase(*, user) -> dict[str, int]:
    """Close a person's account and replace who they are with "Former staff member <id>" in live
    data. Every page, export and email names people through their account
    (thrive_edi.people.person_name), so the pseudonym reaches them all. Signed-off snapshots
    and their PDFs keep the names they were signed off with (public task and record keeping):
    they are never changed, so their fingerprints still match."""
    username, email = user.get_username(), user.email
    devices = len(list(devices_for_user(user, confirmed=None)))
    second_factor_remove(user=user)
    new_username = pseudonymous_username(user.pk)
    sign_in_records = sum(
        records.update(username=new_username) for records in _sign_in_records(username, email)
    )
    user.username = new_username
    user.email = f"{new_username}@erased.invalid"
    user.first_name, user.last_name = PSEUDONYM, str(user.pk)
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    digest_entries, _ = DigestEntry.objects.filter(user=user).delete()
    done = {
        "second_factor_devices_removed": devices,
        "daily_summary_entries_deleted": digest_entries,
        "sessions_ended": _sessions_end(user),
        "sign_in_records_pseudonymised": sign_in_records,
    }
    personal_data_erased.send(sender=None, user=user)
    log_security_event("personal_data_erased", username=new_username, user_id=user.pk, **done)
    return done


@dataclass(frozen=True)
class Removed:
    """What one retention period removed: how many of what, older than how many days."""

    what: str
    count: int
    days: int | None = None


def retention_apply(*, now: datetime | None = None) -> list[Removed]:
    """Remove what is kept past its retention period (settings.RETENTION_*_DAYS)."""
    now = now or timezone.now()
    failed_days, audit_days = settings.RETENTION_FAILED_SIGN_IN_DAYS, settings.RETENTION_AUDIT_LOG_DAYS
    with transaction.atomic():
        failed = sum(
            model.objects.filter(attempt_time__lt=now - timedelta(days=failed_days))
            .delete()[1]
            .get(model._meta.label, 0)
            for model in (AccessAttempt, AccessFailureLog)
        )
        audit = AccessLog.objects.filter(attempt_time__lt=now - timedelta(days=audit_days)).delete()[0]
        removed = [
            Removed("failed sign-in records", failed, failed_days),
            Removed("audit log lines", audit, audit_days),
        ]
        for _receiver, more in retention_due.send(sender=None, now=now):
            removed += more or []
    log_security_event(
        "retention_applied", **{item.what.replace(" ", "_").replace("-", "_"): item.count for item in removed}
    )
    return removed
