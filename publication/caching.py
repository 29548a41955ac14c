"""Anonymous register pages served from the shared cache, until the register changes.

Each page is kept under its address and the register's mark (``thrive_edi.kept``); a
publication, a withdrawal, a moderation, a sign-off (which may supersede a published version),
an outcome review, a Pledge progress report or an action's follow-up renews the mark, so that
no page shows what has changed since. The mark and the page are read together: a page served
from the cache costs one round trip to it.

Only what is the same for every visitor is kept. Signed-in people, and anyone with a message
waiting for them, always get a fresh page; so does a page that holds a CSRF token or a CSP nonce,
which is never stored (none of the register's pages has one today)."""

import hashlib
from functools import wraps

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.utils.translation import get_language

from thrive_edi.kept import NOTHING_KEPT, keep, kept_read, mark_renew

REGISTER_MARK_KEY = "publication:generation"  # the name it had before it held a mark
PAGE_TIMEOUT = 60 * 60  # a page of an address no one reads again leaves the cache
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def register_changed() -> None:
    mark_renew(REGISTER_MARK_KEY)


def _key(request) -> str:
    address = f"{get_language()} {request.get_full_path()}"
    return "publication:page:" + hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()


def _same_for_everyone(request) -> bool:
    """Nothing on the page is meant for this visitor alone: they are not signed in and have no
    message waiting (a notice such as "you were signed out" is theirs)."""
    return not request.user.is_authenticated and not len(get_messages(request))


def _holds_a_secret(request, response) -> bool:
    """The page was made with a CSRF token or a CSP nonce, or sets a cookie: a copy would give
    one visitor's token to the next, or a nonce the next page's policy no longer allows."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(request, "csp_nonce", None)
        or response.cookies
    )


def _stored_response(content: bytes, headers: dict) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def cached_for_anonymous(view):
    @wraps(view)
    def cached(request, *args, **kwargs):
        if request.method != "GET" or not _same_for_everyone(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        marks, stored = kept_read(key, [REGISTER_MARK_KEY])
        if stored is not NOTHING_KEPT:
            return _stored_response(*stored)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not _holds_a_secret(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            keep(key, marks, (response.content, headers), PAGE_TIMEOUT)
        return response

    return cached
