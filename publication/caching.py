"""Anonymous register pages served from the shared cache, until the register changes.

Every cached page's key holds the register's current generation; a publication, a withdrawal,
a moderation or a sign-off (which may supersede a published version) starts a new generation,
so that no page shows what has changed since. Signed-in people always get a fresh page."""

import hashlib
import uuid
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "publication:generation"
PAGE_TIMEOUT = 60 * 60  # also bounds how long an action's status can lag behind on the register
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def register_changed() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()
    return f"publication:page:{generation()}:{path}"


def cached_for_anonymous(view):
    @wraps(view)
    def cached(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, headers), PAGE_TIMEOUT)
        return response

    return cached
