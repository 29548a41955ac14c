"""Session time limits (signed out after an idle period, and after an absolute maximum),
signed-in responses kept out of caches, and the health check answered before any of them."""

import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.timesince import timesince

from thrive_edi.audit import log_security_event

SESSION_STARTED_KEY = "thrive_started"
SESSION_SEEN_KEY = "thrive_seen"
# Writing the session on every request would cost a database write each time; a minute's
# precision on the idle clock is plenty.
SEEN_PRECISION_SECONDS = 60

IDLE_MESSAGE = (
    "You were signed out because you had not done anything for {duration}. Sign in again to carry on."
)
ABSOLUTE_MESSAGE = (
    "You were signed out because you had been signed in for {duration}. Sign in again to carry on."
)


def duration_in_words(seconds: int) -> str:
    """A configured time as people say it: "30 minutes", "12 hours", "1 hour, 30 minutes"."""
    now = datetime(2000, 1, 1)
    return timesince(now - timedelta(seconds=seconds), now).replace("\xa0", " ")


def idle_message() -> str:
    return IDLE_MESSAGE.format(duration=duration_in_words(settings.SESSION_IDLE_TIMEOUT))


def absolute_message() -> str:
    return ABSOLUTE_MESSAGE.format(duration=duration_in_words(settings.SESSION_ABSOLUTE_TIMEOUT))


def seconds_until_idle_timeout(request, now: float | None = None) -> int:
    now = time.time() if now is None else now
    seen = request.session.get(SESSION_SEEN_KEY, now)
    started = request.session.get(SESSION_STARTED_KEY, now)
    idle_left = settings.SESSION_IDLE_TIMEOUT - (now - seen)
    absolute_left = settings.SESSION_ABSOLUTE_TIMEOUT - (now - started)
    return max(0, int(min(idle_left, absolute_left)))


def mark_active(request, now: float | None = None) -> None:
    request.session[SESSION_SEEN_KEY] = int(time.time() if now is None else now)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request) -> None:
        now = time.time()
        session = request.session
        started = session.get(SESSION_STARTED_KEY)
        seen = session.get(SESSION_SEEN_KEY)
        if started is None or seen is None:
            session[SESSION_STARTED_KEY] = started or int(now)
            mark_active(request, now)
            return
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            self._sign_out(request, "session_expired_absolute", absolute_message())
        elif now - seen > settings.SESSION_IDLE_TIMEOUT:
            self._sign_out(request, "session_expired_idle", idle_message())
        elif now - seen >= SEEN_PRECISION_SECONDS and request.path != reverse("session_status"):
            mark_active(request, now)

    @staticmethod
    def _sign_out(request, event: str, message: str) -> None:
        log_security_event(event, request=request)
        logout(request)
        messages.info(request, message)


class PrivateResponsesNotCachedMiddleware:
    """Whatever a signed-in person receives (pages, exports, PDFs, board packs) is theirs alone:
    neither a shared cache nor the browser keeps it, so that it is gone from a shared computer
    once they sign out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HealthCheckMiddleware:
    """``/healthz`` answered before the session or the signed-in user are read: with the
    database down, a monitor that sends a session cookie still gets 503, not an error page."""

    def __init__(self, get_response):
        from thrive_edi.views.pages import healthz

        self.get_response = get_response
        self.healthz = healthz

    def __call__(self, request):
        if request.path_info == reverse("healthz"):
            return self.healthz(request)
        return self.get_response(request)
