"""PDFs of signed-off assessments, their outcome reviews and board packs, rendered with WeasyPrint.

Rendered from the snapshot, never from live data: tagged PDF/UA, with a title and a language,
in Noto fonts that cover the scripts London's communities write names and places in.
"""

import functools
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pydyf
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.formats import date_format
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assessments.kinds import row_kinds
from assessments.places import document_places_text
from assessments.thresholds import IMPACTS_NEEDING_MITIGATION
from reporting import pdf_text
from thrive_edi.dates import MOMENT, day_text

# Glyphs shared by several syllables read back as the text they were drawn for.
pdf_text.install()

PRINT_CSS_PATH = Path(__file__).parent / "pdf_assets" / "print.css"
PACK_CSS_PATH = Path(__file__).parent / "pdf_assets" / "pack.css"
PDF_VARIANT = "pdf/ua-1"
# Emoji in monochrome outlines (Noto Emoji from npm, copied by the asset build): Debian's Noto
# Color Emoji is a bitmap font that PDFs do not carry well.
# Where the asset build puts it, then the npm package itself (a checkout whose assets were built
# before the font was added).
NOTO_EMOJI_PLACES = (
    Path(settings.BASE_DIR) / "static" / "build" / "fonts" / "noto-emoji.woff",
    Path(settings.BASE_DIR)
    / "node_modules"
    / "@fontsource"
    / "noto-emoji"
    / "files"
    / "noto-emoji-emoji-400-normal.woff",
)
MISSING_FONT_MESSAGE = "The PDF font {path} is missing: build the front-end assets with `make assets`."


def _noto_emoji_path() -> Path:
    return next((path for path in NOTO_EMOJI_PLACES if path.exists()), NOTO_EMOJI_PLACES[0])


NOTO_EMOJI_PATH = _noto_emoji_path()


class _OwnFontsOnly(URLFetcher):
    """Documents are self-contained: nothing is fetched from disk or the network, whatever a
    snapshot's text holds. Only the fonts named here and data: URLs can be read (the templates
    use none)."""

    def __init__(self, fonts: dict[str, Path]):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self._fonts = fonts

    def fetch(self, url, headers=None):
        if url in self._fonts:
            font = self._fonts[url].read_bytes()
            return URLFetcherResponse(url, body=font, headers={"Content-Type": "font/woff"})
        return super().fetch(url, headers)


_no_fetching = _OwnFontsOnly({NOTO_EMOJI_PATH.as_uri(): NOTO_EMOJI_PATH})


class _Styles:
    font_config: FontConfiguration
    sheets: list[CSS]


_styles: _Styles | None = None


def _loaded_styles() -> _Styles:
    """The print stylesheet and the fonts it declares, loaded once per process."""
    global _styles
    if _styles is None:
        if not NOTO_EMOJI_PATH.exists():
            raise FileNotFoundError(MISSING_FONT_MESSAGE.format(path=NOTO_EMOJI_PATH))
        styles = _Styles()
        styles.font_config = FontConfiguration()
        fonts = f'@font-face {{ font-family: "Noto Emoji"; src: url("{NOTO_EMOJI_PATH.as_uri()}"); }}'
        styles.sheets = [
            CSS(string=fonts, url_fetcher=_no_fetching, font_config=styles.font_config),
            CSS(filename=str(PRINT_CSS_PATH), url_fetcher=_no_fetching, font_config=styles.font_config),
        ]
        _styles = styles
    return _styles


# The scope of a header cell, by the part of the table its row is in. The PDF templates mark
# header cells up the same way (scope="col" in <thead>, scope="row" in <tbody>); WeasyPrint uses
# that for the cells' /Headers but does not write it into the structure tree.
HEADER_SCOPES = {"/THead": "/Column", "/TBody": "/Row", "/TFoot": "/Row"}


def _scope_header_cells(_document, pdf: pydyf.PDF) -> None:
    """Give every TH element of the structure tree its /Scope (PDF/UA asks for it)."""

    def parent(element):
        number = int(bytes(element["P"]).split()[0])
        return pdf.objects[number]

    for element in pdf.objects:
        if isinstance(element, pydyf.Dictionary) and element.get("S") == "/TH":
            row_group = parent(parent(element))
            scope = HEADER_SCOPES.get(row_group.get("S"), "/Column")
            element["A"]["Scope"] = scope


@functools.cache
def pack_stylesheet() -> CSS:
    return CSS(
        filename=str(PACK_CSS_PATH), url_fetcher=_no_fetching, font_config=_loaded_styles().font_config
    )


def _render(html: str, extra_stylesheets: Sequence[CSS] = ()) -> bytes:
    styles = _loaded_styles()
    document = HTML(string=html, url_fetcher=_no_fetching, base_url="about:blank")
    return document.write_pdf(
        stylesheets=[*styles.sheets, *extra_stylesheets],
        font_config=styles.font_config,
        pdf_variant=PDF_VARIANT,
        finisher=_scope_header_cells,
    )


def render_document(html: str, *, extra_css: str = "") -> bytes:
    """Any other document of the service, tagged and set as the assessments are, with CSS of its
    own on top (another page size, another layout)."""
    sheets = []
    if extra_css:
        sheets.append(
            CSS(string=extra_css, url_fetcher=_no_fetching, font_config=_loaded_styles().font_config)
        )
    return _render(html, extra_stylesheets=sheets)


def _date(value: str | None) -> str:
    if not value:
        return "Not set"
    if "T" in value:
        return date_format(datetime.fromisoformat(value), MOMENT)
    return day_text(date.fromisoformat(value))


def declared_widths() -> dict[tuple[str, ...], tuple[int, ...]]:
    """How wide each column of the PDF's tables is, in percent, by the table's headers, as each
    kind of row declares it (``RowKind.column_widths``): wide enough for the longest ordinary
    word of a column's labels and names, free text in the rest. Tables are laid out with these
    fixed widths, so a long link or document ID wraps inside its cell instead of pushing
    columns off the page. Widths are multiples of 5, the classes print.css declares (.w5 to .w60).
    """
    return {tuple(kind.headers): kind.column_widths for kind in row_kinds()}


WIDTH_STEP = 5


def column_widths(headers: list[str]) -> list[int]:
    """Each column's width in percent of the table, adding up to 100: as declared for the
    table, or shared equally (in steps of WIDTH_STEP) for a table of an older snapshot."""
    if widths := declared_widths().get(tuple(headers)):
        return list(widths)
    equal = max(WIDTH_STEP, 100 // len(headers) // WIDTH_STEP * WIDTH_STEP)
    return [equal] * (len(headers) - 1) + [max(WIDTH_STEP, min(60, 100 - equal * (len(headers) - 1)))]


def _direction(line: str) -> str:
    """A line's direction, from its first strong character, as HTML's dir="auto" decides it:
    an Arabic or Urdu answer is laid out (and read back) right to left."""
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def text_lines(text: str | None) -> list[dict]:
    """Free text as the lines its author wrote, each with its own direction."""
    return [{"text": line, "rtl": _direction(line) == "rtl"} for line in (text or "").split("\n")]


# Marks a negative rating in print, with bold type: not colour alone.
NEGATIVE_MARK = "\u26a0"


def _negative_cells(document: dict, table: dict) -> set[tuple[int, int]]:
    """(row, column) of the impact grid's negative ratings, so that they stand out in print by
    text and weight. The grid's rows are the snapshot's ratings, in the same order."""
    ratings = document.get("ratings", [])
    names = [characteristic["name"] for characteristic in document["framework"]["characteristics"]]
    if "Impact" not in table["headers"] or [row[0] for row in table["rows"]] != names:
        return set()
    column = table["headers"].index("Impact")
    return {
        (i, column)
        for i, rating in enumerate(ratings)
        if i < len(table["rows"]) and rating["impact"] in IMPACTS_NEEDING_MITIGATION
    }


ASSESSMENT_TEMPLATE = "reporting/pdf/assessment.html"
# The body of an assessment's document, without <html> and <head>: what a board pack repeats.
ASSESSMENT_BODY = f"{ASSESSMENT_TEMPLATE}#body"
PACK_TEMPLATE = "reporting/pdf/pack.html"


# The appendix of evidence: what each file or link is, and for a file its fingerprint.
EVIDENCE_WIDTHS = (30, 20, 50)


def _evidence_details(item: dict) -> list[str]:
    if item.get("kind") == "file":
        return [
            f"{item['name']}, {_size(item['size'])}",
            f"SHA-256 {item['sha256']}",
        ]
    return [item.get("url", "")]


def _has_places(meta: dict) -> bool:
    """Whether a snapshot records where the activity takes place (older ones have no places)."""
    places = meta.get("places")
    return bool(places and (places["london_wide"] or places["local_authorities"]))


def _assessment_context(document: dict, sha256: str, id_prefix: str = "") -> dict:
    """What the assessment template needs: free text as lines with their direction, each table
    with its column widths and its cells (negative ratings marked)."""
    meta = document["assessment"]
    for section in document["sections"]:
        for item in section["answers"]:
            item["lines"] = text_lines(item["answer"])
        for table in section["tables"]:
            table["widths"] = column_widths(table["headers"])
            negative = _negative_cells(document, table)
            table["cells"] = [
                [
                    {"lines": text_lines(f"{NEGATIVE_MARK} {cell}"), "negative": True}
                    if (i, j) in negative
                    else {"lines": text_lines(cell), "negative": False}
                    for j, cell in enumerate(row)
                ]
                for i, row in enumerate(table["rows"])
            ]
    for item in document.get("evidence", []):
        item["details"] = _evidence_details(item)
    for item in document.get("board_feedback", []):
        item["lines"] = text_lines(item["text"])
        item["response_lines"] = text_lines(item.get("response") or "No response was recorded.")
    return {
        "doc": document,
        "meta": meta,
        "summary_lines": text_lines(meta["summary"]),
        "sha256": sha256,
        "signed_off_at": _date(meta["signed_off_at"]),
        "submitted_at": _date(meta["submitted_at"]),
        "review_date": _date(meta["review_date"]),
        # Snapshots made before places were recorded have none.
        "places": document_places_text(meta["places"]) if _has_places(meta) else "",
        "id_prefix": id_prefix,
        "evidence_widths": EVIDENCE_WIDTHS,
    }


def assessment_html(snapshot_text: str, sha256: str) -> str:
    return render_to_string(ASSESSMENT_TEMPLATE, _assessment_context(json.loads(snapshot_text), sha256))


def _size(size: int) -> str:
    """A file's size for people, with its exact number of bytes when rounded (never "77 bytes
    (77 bytes)")."""
    shown = str(filesizeformat(size)).replace("\xa0", " ")
    return shown if shown.endswith("bytes") else f"{shown} ({size} bytes)"


def render_assessment_pdf(snapshot_text: str, sha256: str) -> bytes:
    return _render(assessment_html(snapshot_text, sha256))


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
        PACK_TEMPLATE, {"title": title, "meeting_date": day_text(meeting_date), "parts": parts}
    )


def render_board_pack(*, title: str, meeting_date: date, snapshots: list[tuple[str, str]]) -> bytes:
    """One tagged PDF/UA document for a meeting, laid out in one pass so pages number pack-wide."""
    html = board_pack_html(title=title, meeting_date=meeting_date, snapshots=snapshots)
    return _render(html, extra_stylesheets=[pack_stylesheet()])


OUTCOME_REVIEW_TEMPLATE = "reporting/pdf/outcome_review.html"


def outcome_review_html(document_text: str, sha256: str) -> str:
    """A signed-off outcome review as a document, from its own canonical JSON (never from the
    live rows): what happened against each prediction and action, and the work as a whole."""
    doc = json.loads(document_text)
    meta = doc["assessment"]
    impacts = [
        {**row, "name_lines": text_lines(row["name"]), "evidence_lines": text_lines(row["evidence"])}
        for row in doc["impacts"]
    ]
    actions = [
        {
            **row,
            "action_lines": text_lines(row["action"] or row["issue"]),
            "note_lines": text_lines(row["note"]),
        }
        for row in doc["actions"]
    ]
    context = {
        "doc": doc,
        "meta": meta,
        "title": f"Outcome review of {meta['reference']}: {meta['title']}",
        "sha256": sha256,
        "due_on": _date(doc["due_on"]),
        "submitted_at": _date(doc["submitted_at"]),
        "signed_off_at": _date(doc["signed_off_at"]),
        "impacts": impacts,
        "actions": actions,
        **{part: text_lines(doc[part]) for part in ("challenges", "sustainability", "voices")},
    }
    return render_to_string(OUTCOME_REVIEW_TEMPLATE, context)


def render_outcome_review_pdf(document_text: str, sha256: str) -> bytes:
    return _render(outcome_review_html(document_text, sha256))
