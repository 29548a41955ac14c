"""Full-text search of assessments: their titles, summaries, partners, answers and actions.

Each assessment has a ``SearchDocument``, rebuilt once the transaction that changed it
commits, or last inside it where the service asks (a section's save:
``documents_build_pending``). PostgreSQL matches it with its full-text search (``websearch`` syntax, English
stemming, a GIN index) and highlights the matches with ``ts_headline``; SQLite, the embedded
default, matches the words with ``icontains`` and highlights them in Python.
"""

import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SEARCH_LABEL = "Search"
SEARCH_HINT = "Words from the title, reference, answers, actions or partners"
CONFIG = "english"
# Around each match in an excerpt; ts_headline's markers are characters no text keeps
# (``document_text`` removes them), replaced by <mark> once the excerpt is escaped.
START, STOP = "\ue000", "\ue001"
EXCERPT_CHARS = 80
BATCH = 500


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _strings(value) -> Iterable[str]:
    """The text of an answer's value: a string, or the strings of a list or a date dict."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def document_text(parts: Iterable[str]) -> str:
    return "\n".join(
        part.replace(START, "").replace(STOP, "").strip() for part in parts if part and part.strip()
    )


def documents_build(assessment_ids: Iterable[int], *, apps=None) -> int:
    """Rebuild the search documents of these assessments (gone ones are skipped); ``apps``: the
    migration's models, when called from one. Five queries a batch of 500, whatever the rows
    (four reads and one upsert)."""
    get = apps.get_model if apps else _live_model
    assessment_model, answer_model, action_model = (
        get("assessments", "Assessment"),
        get("assessments", "Answer"),
        get("assessments", "Action"),
    )
    document_model = get("assessments", "SearchDocument")
    ids = sorted(set(assessment_ids))
    built = 0
    for offset in range(0, len(ids), BATCH):
        batch = ids[offset : offset + BATCH]
        titles, parts = {}, defaultdict(list)
        for pk, title, summary in assessment_model.objects.filter(pk__in=batch).values_list(
            "pk", "title", "summary"
        ):
            titles[pk] = title
            parts[pk].append(summary)
        partners = assessment_model.partners.through.objects.filter(assessment_id__in=batch)
        for pk, name in partners.values_list("assessment_id", "partner__name"):
            parts[pk].append(name)
        for pk, value in answer_model.objects.filter(assessment_id__in=batch).values_list(
            "assessment_id", "value"
        ):
            parts[pk].extend(_strings(value))
        actions = action_model.objects.filter(assessment_id__in=batch).order_by("pk")
        for pk, *texts in actions.values_list("assessment_id", "issue", "action", "measure"):
            parts[pk].extend(texts)
        documents = [_document(document_model, pk, title, parts[pk]) for pk, title in titles.items()]
        document_model.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["assessment"],
            update_fields=["title", "body", "vector", "updated_at"],
        )
        built += len(documents)
    return built


def _document(document_model, pk: int, title: str, parts: list[str]):
    """An assessment's document; on PostgreSQL with its vector, computed from the same text in
    the statement that stores it."""
    title, body = document_text([title]), document_text(parts)
    vector = None
    if on_postgresql():
        vector = SearchVector(Value(title), weight="A", config=CONFIG) + SearchVector(
            Value(body), weight="B", config=CONFIG
        )
    return document_model(assessment_id=pk, title=title, body=body, vector=vector)


def _live_model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)


_pending = threading.local()


def document_refresh_later(assessment_id: int) -> None:
    """Rebuild an assessment's document once the current transaction commits (at once outside
    one). Every change registers the build, and the first build at commit takes every pending
    assessment: many changes in one transaction rebuild each document once, and what a rolled
    back transaction left pending is built at the next commit."""
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.add(assessment_id)
    transaction.on_commit(documents_build_pending)


def documents_build_pending() -> None:
    """Build the pending documents now, inside the current transaction. A service that changes
    content calls it last, so that the documents are written in its own commit rather than in
    two more after it (an upsert and the vector's update); the build registered for the commit
    then finds nothing pending. A rollback undoes the documents with the content they were
    built from."""
    ids, _pending.ids = getattr(_pending, "ids", None) or set(), set()
    if ids:
        documents_build(ids)


def _row_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw and instance.assessment_id:
        document_refresh_later(instance.assessment_id)


def _assessment_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        document_refresh_later(instance.pk)


def _partners_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:  # a partner's assessments changed
        for pk in pk_set or ():
            document_refresh_later(pk)
    else:
        document_refresh_later(instance.pk)


def _partner_renamed(sender, instance, created, raw=False, **kwargs) -> None:
    if not raw and not created:
        for pk in instance.assessments.values_list("pk", flat=True):
            document_refresh_later(pk)


def connect_receivers() -> None:
    """Keep the documents up to date whichever way titles, answers, actions or partners change."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from assessments.models import Action, Answer, Assessment, Partner
    from assessments.signals import published_assessments_loaded

    for model in (Answer, Action):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"search.saved.{model.__name__}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"search.deleted.{model.__name__}")
    post_save.connect(_assessment_changed, sender=Assessment, dispatch_uid="search.saved.Assessment")
    post_save.connect(_partner_renamed, sender=Partner, dispatch_uid="search.saved.Partner")
    m2m_changed.connect(_partners_changed, sender=Assessment.partners.through, dispatch_uid="search.partners")
    published_assessments_loaded.connect(documents_build_missing, dispatch_uid="search.loaded")


def documents_build_missing(**kwargs) -> int:
    """Documents for the assessments that have none (loaded in bulk, without saves)."""
    from assessments.models import Assessment

    return documents_build(
        Assessment.objects.filter(search_document__isnull=True).values_list("pk", flat=True).iterator()
    )


def _in_word(character: str) -> bool:
    """Letters and digits of any script, with their combining marks (the vowel signs of Bengali,
    Gujarati or Tamil are marks, not letters: without them a word falls apart)."""
    return character.isalnum() or character == "_" or unicodedata.category(character).startswith("M")


def words(text: str) -> list[str]:
    """The words of a search, at most 20: each starts with a letter or digit and may go on with
    apostrophes and hyphens (``O'Brien``, ``drop-in``)."""
    found: list[str] = []
    current = ""
    for character in text:
        if _in_word(character) or (current and character in "'-"):
            current += character
        elif current:
            found.append(current)
            current = ""
    if current:
        found.append(current)
    return found[:20]


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The assessments of ``queryset`` whose reference, title or document match ``text`` (every
    word of it), each carrying what ``add_excerpts`` needs to show where. The list's order
    stays the page's own (most recently changed, or as sorted)."""
    text = text.strip()
    if not text:
        return queryset
    by_reference = Q(reference__icontains=text) | Q(title__icontains=text)
    if on_postgresql():
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.filter(by_reference | Q(search_document__vector=query)).annotate(
            search_headline=SearchHeadline(
                F("search_document__body"),
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        )
    every_word = Q()
    for word in words(text):
        every_word &= Q(search_document__body__icontains=word)
    return queryset.filter(by_reference | every_word).annotate(search_body=F("search_document__body"))


def _python_excerpt(body: str, text: str) -> str:
    """The first stretch of ``body`` around a word of ``text``, with each word marked."""
    found = [word for word in words(text) if word.lower() in body.lower()]
    if not found:
        return ""
    pattern = re.compile("|".join(re.escape(word) for word in sorted(found, key=len, reverse=True)), re.I)
    first = pattern.search(body)
    start = max(first.start() - EXCERPT_CHARS, 0)
    end = min(first.end() + EXCERPT_CHARS, len(body))
    piece = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", body[start:end])
    return ("…" if start else "") + piece + ("…" if end < len(body) else "")


def excerpt_html(marked: str) -> SafeString:
    """Escape an excerpt, then turn its markers into <mark>: only our own tags are HTML."""
    html = escape(" ".join(marked.split())).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only <mark> added


def searched_for(filterset) -> str:
    """The words a filter set's search box holds, once the filters are valid."""
    return filterset.form.cleaned_data.get("q", "") if filterset.is_valid() else ""


def add_excerpts(assessments: Iterable, text: str | None) -> None:
    """Give each assessment found by ``matching`` its ``search_excerpt``: safe HTML with the
    matched words in <mark>, or empty when only the reference or title matched."""
    text = (text or "").strip()
    for assessment in assessments:
        marked = ""
        if text:
            if hasattr(assessment, "search_headline"):
                marked = assessment.search_headline or ""
                if START not in marked:
                    marked = ""
            else:
                marked = _python_excerpt(getattr(assessment, "search_body", None) or "", text)
        assessment.search_excerpt = excerpt_html(marked) if marked else ""
