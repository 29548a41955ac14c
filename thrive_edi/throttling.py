"""Sign-in limits on top of django-axes.

Axes locks a username from one address after ``AXES_FAILURE_LIMIT`` failures (the address
read by ``thrive_edi.addresses``), so one person's typos, or an attacker guessing someone's
password, never lock that person out from everywhere, nor everyone out behind one proxy. An
address that fails ``AXES_ADDRESS_FAILURE_LIMIT`` times within the cool-off, whatever the
usernames (password spraying), is stopped as a whole. Both limits count from axes' own records
in the database, so every app server sees the same numbers.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def address_failures(request) -> int:
    """Failures from the request's address within the cool-off, across every username."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or (
            address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )


def locked_out(request, original_response=None, credentials=None):
    """The page for a paused sign-in. It says nothing about the account: the pause may be the
    work of someone else entirely, at this address or at this username."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
