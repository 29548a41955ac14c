"""Parts of an assessment's pages, rendered once and kept in the shared cache.

A part is kept under what it is drawn from, so that a request after a change finds nothing
kept and draws it afresh:

- A signed-off (or superseded) assessment's content and its framework version never change:
  a part is kept under the assessment, its status, its sign-off time and its last change
  (superseding it changes its status and adds to its history; following up an action after
  sign-off is a change, ``services.content_changed``).
- An assessment that can still be edited is kept only where the caller gives its framework
  template, and only while that version is frozen (a version still being edited can change
  the questions under it): under the assessment, its status, its revision, its last change,
  the version's freezing time and today's date (the rules on a review date depend on it).
  Every write to an assessment's content grows its revision or moves its last change
  (``services.content_changed``; a save of its own row moves ``updated_at``).

A part that shows something depending on who reads it is named by that (a reader's flags, say),
so that each kind of reader has their own. Any other assessment is drawn at every request.
"""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from assessments.models import Assessment
from thrive_edi.kept import kept_under, mark_renew, mark_renew_on_commit

# The mark of every kept part, read with the part in one round trip: a new mark forgets every
# kept part at once (a person's erasure changes the names drawn in them; ``thrive_edi.kept``).
KEPT_MARK_KEY = "assessments:frozen:generation"

# Long enough to serve a board meeting's reading; the cache makes room for newer entries first.
KEPT_FOR = timedelta(days=7)
# A part of an editable assessment is kept under today's date: it is never read after midnight.
KEPT_WHILE_EDITED = timedelta(days=1)


def kept_fragment_key(name: str, assessment: Assessment, template=None) -> str | None:
    """The cache key of the part ``name`` of the assessment's pages; None while nothing kept
    could tell that it changed. ``template``: the assessment's ``FrameworkTemplate``, for a
    part of an editable assessment drawn from it."""
    if assessment.status in Assessment.FROZEN_STATUSES:
        if assessment.signed_off_at is None:
            return None
        moments = f"{assessment.signed_off_at.isoformat()}:{assessment.updated_at.isoformat()}"
        return f"assessments:frozen:{name}:{assessment.pk}:{assessment.status}:{moments}"
    frozen_at = template.version.frozen_at if template is not None else None
    if not assessment.is_editable or frozen_at is None:
        return None
    today = timezone.localdate()
    moments = f"{assessment.updated_at.isoformat()}:{frozen_at.isoformat()}:{today.isoformat()}"
    return f"assessments:editable:{name}:{assessment.pk}:{assessment.status}:{assessment.revision}:{moments}"


def kept_fragments_forget() -> None:
    """Forget every kept part: the next request renders each afresh."""
    mark_renew(KEPT_MARK_KEY)


def kept_value(name: str, assessment: Assessment, compute: Callable[[], object], template=None):
    """What ``compute`` gives (anything the cache can pickle), from the cache where
    ``kept_fragment_key`` gives a key."""
    key = kept_fragment_key(name, assessment, template)
    if key is None:
        return compute()
    kept_for = KEPT_FOR if assessment.status in Assessment.FROZEN_STATUSES else KEPT_WHILE_EDITED
    return kept_under(key, [KEPT_MARK_KEY], compute, kept_for.total_seconds())


def kept_fragment(name: str, assessment: Assessment, render: Callable[[], str], template=None) -> SafeString:
    """The HTML ``render`` makes, from the cache where ``kept_fragment_key`` gives a key."""
    return mark_safe(kept_value(name, assessment, render, template))  # noqa: S308 (HTML a template rendered, escaped there)


# What another app shows on a signed-off assessment's page (``signals.assessment_page_panels``)
# changes with that app's own rows, not with the assessment: each app keeps its part under the
# assessment's key and a mark of its own (``app_part_changed``), which every write to those rows
# replaces once it commits.
APP_PART_MARK_KEY = "assessments:frozen:app-mark:{app}:{pk}"


def app_part_changed(app: str, assessment_id: int) -> None:
    """Rows of ``app`` that a signed-off assessment's page shows changed: what the app keeps of
    the page (``kept_app_part``) is read afresh once the write commits."""
    mark_renew_on_commit(
        APP_PART_MARK_KEY.format(app=app, pk=assessment_id), timeout=KEPT_FOR.total_seconds()
    )


def app_part_changed_on_write(app: str, *models, assessment_id: Callable = lambda row: row.assessment_id):
    """Call ``app_part_changed`` at every save and deletion of a row of ``models`` (a write in
    bulk, which sends no signal, calls it itself)."""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, instance, raw=False, **kwargs) -> None:
        pk = None if raw else assessment_id(instance)
        if pk is not None:
            app_part_changed(app, pk)

    for model in models:
        uid = f"{app}.part.{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}.saved")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}.deleted")


def kept_app_part(app: str, name: str, assessment: Assessment, compute: Callable[[], object]):
    """What ``compute`` gives of ``app``'s rows for the assessment's page (its part ``name``),
    kept while the assessment is signed off (``kept_fragment_key``) and ``app_part_changed``
    was not called for it. A mark the cache has lost is made anew, so that nothing kept before
    it is served."""
    key = kept_fragment_key(f"app-{app}-{name}", assessment)
    if key is None:
        return compute()
    marks = [KEPT_MARK_KEY, APP_PART_MARK_KEY.format(app=app, pk=assessment.pk)]
    return kept_under(key, marks, compute, KEPT_FOR.total_seconds())
