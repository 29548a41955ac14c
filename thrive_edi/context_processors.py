from django.conf import settings

from thrive_edi.middleware import seconds_until_idle_timeout
from thrive_edi.navigation import navigation_for


def site(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": "Thrive EDI",
        "navigation": navigation_for(request) if signed_in else [],
        "session_seconds_left": seconds_until_idle_timeout(request) if signed_in else None,
        "session_warning_seconds": settings.SESSION_WARNING_BEFORE,
    }
