"""Parts of the pages of signed-off assessments, rendered once and kept in the shared cache.

A signed-off (or superseded) assessment's content and its framework version never change, so
what a page draws from them is the same for every reader: it is rendered at the first request
and kept under the assessment, its status, its sign-off time and its last change (superseding it
changes its status and adds to its history). A part that shows something depending on who
reads it is named by that (a reader's flags, say), so that each kind of reader has their own;
``render`` is the plain way, used for every other assessment.
"""

from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from assessments.models import Assessment

# The generation of every kept part, read with the part in one round trip: a new generation
# forgets every kept part at once (a person's erasure changes the names drawn in them).
GENERATION_KEY = "assessments:frozen:generation"

# Long enough to serve a board meeting's reading; the cache makes room for newer entries first.
KEPT_FOR = timedelta(days=7)


def frozen_fragment_key(name: str, assessment: Assessment) -> str | None:
    """The cache key of the part ``name`` of the assessment's pages; None while it can change."""
    if assessment.status not in Assessment.FROZEN_STATUSES or assessment.signed_off_at is None:
        return None
    moments = f"{assessment.signed_off_at.isoformat()}:{assessment.updated_at.isoformat()}"
    return f"assessments:frozen:{name}:{assessment.pk}:{assessment.status}:{moments}"


def frozen_fragments_forget() -> None:
    """Forget every kept part: the next request renders each afresh."""
    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY, 0) + 1, timeout=None)


def frozen_fragment(name: str, assessment: Assessment, render: Callable[[], str]) -> SafeString:
    """The HTML ``render`` makes, from the cache for a signed-off assessment."""
    key = frozen_fragment_key(name, assessment)
    if key is None:
        return mark_safe(render())  # noqa: S308 (HTML a template rendered, escaped there)
    found = cache.get_many([key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY, 0)
    kept = found.get(key)
    if isinstance(kept, tuple) and kept[0] == generation:
        return mark_safe(kept[1])  # noqa: S308
    html = render()
    cache.set(key, (generation, html), timeout=KEPT_FOR.total_seconds())
    return mark_safe(html)  # noqa: S308
