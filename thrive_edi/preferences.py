"""Reading a person's preferences, and the visits their home page counts what is new from."""

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from thrive_edi.models import Preferences

# What a first visit calls new: there is no earlier visit to count from.
FIRST_VISIT_LOOKS_BACK = timedelta(days=30)
_SINCE_KEY = "home_new_since"


def preferences_of(user) -> Preferences:
    preferences, _ = Preferences.objects.get_or_create(user=user)
    return preferences


def visit_since(request: HttpRequest) -> datetime:
    """When the person's previous visit began: what is new on their home page came after it.

    A visit is a session: the first home page of a session moves the stored mark to now and
    keeps the old one in the session, so the page shows the same items until they sign out.
    """
    kept = parse_datetime(request.session.get(_SINCE_KEY, ""))
    if kept is not None:
        return kept
    now = timezone.now()
    preferences = preferences_of(request.user)
    since = preferences.last_visit_at or now - FIRST_VISIT_LOOKS_BACK
    Preferences.objects.filter(pk=preferences.pk).update(last_visit_at=now)
    request.session[_SINCE_KEY] = since.isoformat()
    return since
