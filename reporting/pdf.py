"""PDFs of signed-off assessments and board packs, rendered with WeasyPrint.

Rendered from the snapshot, never from live data: tagged PDF/UA, with a title and a language,
in Noto fonts that cover the scripts London's communities write names and places in.
"""

import functools
import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

PRINT_CSS_PATH = Path(__file__).parent / "pdf_assets" / "print.css"
PACK_CSS_PATH = Path(__file__).parent / "pdf_assets" / "pack.css"
PDF_VARIANT = "pdf/ua-1"


# Documents are self-contained: nothing is fetched from disk or the network, whatever a
# snapshot's text holds. Only data: URLs could be read, and the templates use none.
_no_fetching = URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


_stylesheet: CSS | None = None


def stylesheet() -> CSS:
    global _stylesheet
    if _stylesheet is None:
        _stylesheet = CSS(filename=str(PRINT_CSS_PATH), url_fetcher=_no_fetching)
    return _stylesheet


@functools.cache
def pack_stylesheet() -> CSS:
    return CSS(filename=str(PACK_CSS_PATH), url_fetcher=_no_fetching)


def _render(html: str, extra_stylesheets: Sequence[CSS] = ()) -> bytes:
    document = HTML(string=html, url_fetcher=_no_fetching, base_url="about:blank")
    return document.write_pdf(stylesheets=[stylesheet(), *extra_stylesheets], pdf_variant=PDF_VARIANT)


def _date(value: str | None) -> str:
    if not value:
        return "Not set"
    if "T" in value:
        return datetime.fromisoformat(value).strftime("%-d %B %Y, %H:%M")
    return date.fromisoformat(value).strftime("%-d %B %Y")


ASSESSMENT_TEMPLATE = "reporting/pdf/assessment.html"
# The body of an assessment's document, without <html> and <head>: what a board pack repeats.
ASSESSMENT_BODY = f"{ASSESSMENT_TEMPLATE}#body"
PACK_TEMPLATE = "reporting/pdf/pack.html"


def _assessment_context(document: dict, sha256: str, id_prefix: str = "") -> dict:
    meta = document["assessment"]
    return {
        "doc": document,
        "meta": meta,
        "sha256": sha256,
        "signed_off_at": _date(meta["signed_off_at"]),
        "submitted_at": _date(meta["submitted_at"]),
        "review_date": _date(meta["review_date"]),
        "id_prefix": id_prefix,
    }


def assessment_html(snapshot_text: str, sha256: str) -> str:
    return render_to_string(ASSESSMENT_TEMPLATE, _assessment_context(json.loads(snapshot_text), sha256))


def render_assessment_pdf(snapshot_text: str, sha256: str) -> bytes:
    return _render(assessment_html(snapshot_text, sha256))


def render_plain_pdf(html: str) -> bytes:
    """WeasyPrint with no stylesheet at all: the baseline the benchmarks compare against."""
    return HTML(string=html, url_fetcher=_no_fetching, base_url="about:blank").write_pdf(
        pdf_variant=PDF_VARIANT
    )


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def board_pack_html(*, title: str, meeting_date: date, snapshots: list[tuple[str, str]]) -> str:
    """The whole pack as one HTML document: a cover with contents, then each assessment's body.

    ``snapshots``: (snapshot text, its SHA-256), in the pack's order. Every id and link inside an
    assessment carries that assessment's own prefix, so its links stay within it.
    """
    parts = []
    for number, (snapshot_text, sha256) in enumerate(snapshots, start=1):
        document = json.loads(snapshot_text)
        meta = document["assessment"]
        context = _assessment_context(document, sha256, id_prefix=f"pack-{number}-")
        parts.append(
            {
                "id_prefix": context["id_prefix"],
                "label": f"{meta['reference']}: {meta['title']}",
                "signed_off_at": context["signed_off_at"],
                "sha256": sha256,
                "body": render_to_string(ASSESSMENT_BODY, context),
            }
        )
    return render_to_string(
        PACK_TEMPLATE, {"title": title, "meeting_date": meeting_date.strftime("%-d %B %Y"), "parts": parts}
    )


def render_board_pack(*, title: str, meeting_date: date, snapshots: list[tuple[str, str]]) -> bytes:
    """One tagged PDF/UA document for a meeting, laid out in one pass so pages number pack-wide."""
    html = board_pack_html(title=title, meeting_date=meeting_date, snapshots=snapshots)
    return _render(html, extra_stylesheets=[pack_stylesheet()])
