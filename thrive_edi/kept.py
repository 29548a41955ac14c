"""Values kept in the shared cache under marks: a mark replaced forgets at once everything kept
under it, whichever keys that was.

A value is stored with the marks it was computed under, read before computing it, so that a
value computed from data that changed meanwhile is never served under the new mark. A mark the
cache has lost (evicted, or never set) is made anew rather than taken as a default: what was
kept under the lost one is then never served again."""

import uuid
from collections.abc import Callable, Sequence

from django.core.cache import cache
from django.db import transaction


def _new_mark() -> str:
    return uuid.uuid4().hex


def mark_renew(mark_key: str, *, timeout: float | None = None) -> None:
    """Forget what is kept under the mark ``mark_key``."""
    cache.set(mark_key, _new_mark(), timeout=timeout)


def mark_renew_on_commit(mark_key: str, *, timeout: float | None = None) -> None:
    """``mark_renew`` once the current transaction commits (at once outside one): a request
    that reads meanwhile keeps what it read under the mark it found, which is then gone."""
    transaction.on_commit(lambda: mark_renew(mark_key, timeout=timeout))


# What ``kept_read`` gives when nothing is kept under the current marks.
NOTHING_KEPT = object()


def kept_read(key: str, mark_keys: Sequence[str]) -> tuple[list[str], object]:
    """The current marks ``mark_keys`` and what is kept under ``key`` while they stand
    (``NOTHING_KEPT`` if nothing is), read in one round trip: store a value computed now with
    ``keep`` and these marks."""
    found = cache.get_many([key, *mark_keys])
    marks = []
    for mark_key in mark_keys:
        mark = found.get(mark_key)
        if mark is None:
            mark = _new_mark()
            if not cache.add(mark_key, mark, timeout=None):
                mark = cache.get(mark_key, mark)
        marks.append(mark)
    kept = found.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == marks:
        return marks, kept[1]
    return marks, NOTHING_KEPT


def keep(key: str, marks: list[str], value, timeout: float) -> None:
    """Keep ``value`` under ``key`` for ``timeout`` seconds, with the ``marks`` ``kept_read``
    gave before it was computed."""
    cache.set(key, (marks, value), timeout=timeout)


def kept_under(key: str, mark_keys: Sequence[str], compute: Callable[[], object], timeout: float):
    """What ``compute`` gives, kept under ``key`` for ``timeout`` seconds while none of the marks
    ``mark_keys`` is renewed."""
    marks, value = kept_read(key, mark_keys)
    if value is NOTHING_KEPT:
        value = compute()
        keep(key, marks, value, timeout)
    return value
