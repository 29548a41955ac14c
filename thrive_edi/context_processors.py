from django.conf import settings

from thrive_edi.middleware import duration_in_words, seconds_until_idle_timeout
from thrive_edi.navigation import navigation_for
from thrive_edi.two_factor.policy import second_factor_owed


def site(request):
    """What every page's layout shows, worked out once a request: the panels other apps add to a
    page are rendered with the same request, and would otherwise work it all out again."""
    context = getattr(request, "site_context", None)
    if context is None:
        context = request.site_context = _site(request)
    return context


def _site(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # Until a second factor the session owes is given, no page but the one asking for it opens.
    owed = second_factor_owed(request) if signed_in else None
    return {
        "service_name": "Thrive EDI",
        "navigation": navigation_for(request) if signed_in and not owed else [],
        "second_factor_owed": owed,
        "session_seconds_left": seconds_until_idle_timeout(request) if signed_in else None,
        "session_warning_seconds": settings.SESSION_WARNING_BEFORE,
        "session_warning_duration": duration_in_words(settings.SESSION_WARNING_BEFORE),
    }
