"""Sign-in limits on top of django-axes.

Axes locks a username from one address after ``AXES_FAILURE_LIMIT`` failures (the address
read by ``thrive_edi.addresses``), so one person's typos, or an attacker guessing someone's
password, never lock that person out from everywhere, nor everyone out behind one proxy. An
address that fails ``AXES_ADDRESS_FAILURE_LIMIT`` times within the cool-off, whatever the
usernames (password spraying), is stopped as a whole. Both limits count from axes' own records
in the database, so every app server sees the same numbers.
"""

import math
from functools import wraps

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django_ratelimit.core import get_usage

from thrive_edi.addresses import client_ip
from thrive_edi.audit import log_security_event


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


# Rate limits (django-ratelimit) on pages that can be automated. Counted in the default cache,
# which is shared by every app server (the database, or Redis): never in process memory.
RATE_LIMITED_TITLE = "Too many requests"


def address_key(group: str, request) -> str:
    return client_ip(request) or "unknown"


def account_key(group: str, request) -> str:
    """The account a password reset is asked for, however its address is typed."""
    return request.POST.get("email", "").strip().lower()


def person_key(group: str, request) -> str:
    user = request.user
    return f"user:{user.pk}" if user.is_authenticated else f"address:{address_key(group, request)}"


def configured_rate(group: str, request) -> str | None:
    return settings.RATE_LIMITS.get(group)


def rate_limit(group: str, *, key, methods: tuple[str, ...] = ("POST",)):
    """Answer a request with a polite 429 once ``key`` has made more than ``RATE_LIMITS[group]``."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.method in methods:
                usage = get_usage(request, group=group, key=key, rate=configured_rate, increment=True)
                if usage is not None and usage["should_limit"]:
                    return too_many_requests(request, group, seconds=usage["time_left"])
            return view(request, *args, **kwargs)

        return limited

    return decorator


def too_many_requests(request, group: str, *, seconds: int):
    log_security_event("rate_limited", request=request, limit=group)
    minutes = max(1, math.ceil(seconds / 60))
    response = render(request, "429.html", {"title": RATE_LIMITED_TITLE, "minutes": minutes}, status=429)
    response["Retry-After"] = str(max(1, seconds))
    return response
