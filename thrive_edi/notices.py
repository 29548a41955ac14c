"""Notifications about people's work, sent as each happens or kept for a daily digest, as each
person chose on their email settings page (``Preferences.email_frequency``)."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from thrive_edi.models import DigestEntry, EmailFrequency, Preferences
from thrive_edi.roles import ROLE_DEFINITIONS, Role
from thrive_edi.tasks import send_email

DIGEST_SUBJECT = "Your daily summary from Thrive EDI"


def _rendered(template: str, context: dict) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{template}.txt", context)


def _enqueue(*, subject: str, body: str, addresses: list[str]) -> None:
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, recipients=addresses))


def notice_send(template: str, *, recipients, context: dict, at_once: bool = False) -> None:
    """Tell each active recipient with an email address, once the current transaction commits:
    one email to those who want each notification as it happens, and an entry in the next daily
    digest of each of the others (``at_once``: everyone by email now, for reminders and alerts
    that a day's wait would defeat). ``emails/<template>.txt`` and ``_subject.txt`` are the words."""
    people = {person.pk: person for person in recipients if person.email and person.is_active}
    if not people:
        return
    subject, body = _rendered(template, context)
    daily: set[int] = set()
    if not at_once:
        chose_daily = Preferences.objects.filter(user__in=people, email_frequency=EmailFrequency.DAILY)
        daily = set(chose_daily.values_list("user_id", flat=True))
    DigestEntry.objects.bulk_create(
        DigestEntry(user_id=pk, subject=subject, body=body) for pk in sorted(daily)
    )
    addresses = sorted({person.email for pk, person in people.items() if pk not in daily})
    if addresses:
        _enqueue(subject=subject, body=body, addresses=addresses)


def service_admins() -> list:
    """The people who look after the service: active admins and superusers with an email."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ROLE_DEFINITIONS[Role.ADMIN].group_name))
        .exclude(email="")
        .distinct()
    )


def admins_tell(*, assessment, error: str, admin_object, record: str = "") -> None:
    """Email the admins at once that a PDF of ``assessment`` (of its ``record``, an outcome review
    say, when it is not the assessment's own) could not be made, with the error and a link to
    ``admin_object``'s page in the admin, where they see it."""
    meta = admin_object._meta
    path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[admin_object.pk])
    notice_send(
        "pdf_failed",
        recipients=service_admins(),
        context={
            "assessment": assessment,
            "record": record,
            "error": error,
            "link": settings.SITE_URL.rstrip("/") + path,
        },
        at_once=True,
    )


@transaction.atomic
def digests_send(*, until: datetime | None = None) -> int:
    """Send each person one email with every notification kept for them before ``until`` (now
    by default), oldest first, and mark them sent; returns how many digests were sent. Run it
    daily from cron: running it again sends nothing twice."""
    until = until or timezone.now()
    entries = list(
        DigestEntry.objects.select_for_update(of=("self",))
        .filter(sent_at__isnull=True, created_at__lte=until)
        .select_related("user")
        .order_by("user_id", "created_at", "pk")
    )
    by_person: dict[int, list[DigestEntry]] = {}
    for entry in entries:
        by_person.setdefault(entry.user_id, []).append(entry)
    sent = 0
    for group in by_person.values():
        person = group[0].user
        if person.is_active and person.email:
            body = render_to_string("emails/digest.txt", {"person": person, "entries": group})
            _enqueue(
                subject=f"{DIGEST_SUBJECT}: {len(group)} update{'s' if len(group) != 1 else ''}",
                body=body,
                addresses=[person.email],
            )
            sent += 1
    DigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(sent_at=timezone.now())
    return sent
