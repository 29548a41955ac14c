"""Give WeasyPrint's PDFs the text that was written, in every script.

WeasyPrint maps each glyph of a font to the text of the first syllable it was drawn in (one
ToUnicode entry per glyph). In Bengali, Devanagari, Gujarati, Gurmukhi and Tamil a glyph is
shared by several syllables, so other words read back wrongly: "সহায়তা" extracts as
"সিহায়তা". Chromium avoids this by wrapping such glyphs in a marked-content span that carries
the real text (``/Span <</ActualText (...)>> BDC ... EMC``), which text extraction, search,
copy and screen readers use instead of the glyph map. This module does the same, per line:
after WeasyPrint has drawn a line, the line is wrapped in such a span when any of its glyphs
would read back as other text than the text it was drawn for.

The hook wraps one private WeasyPrint function, so it is tied to the version reviewed and to
the source of the functions it relies on: an upgrade that changes them stops rendering with
``WeasyPrintChanged`` (and fails the tests) until this module is reviewed again.
"""

import hashlib
import inspect

import pydyf
import weasyprint
from weasyprint.draw import text as weasyprint_text
from weasyprint.text.ffi import ffi, pango

REVIEWED_VERSION = "70.0"
# SHA-256 of the source of the functions the hook relies on, as reviewed in REVIEWED_VERSION:
# draw_text calls draw_first_line between BT and ET, and draw_first_line fills each font's
# ``to_unicode`` from Pango's clusters in the way _glyph_texts repeats.
REVIEWED_SOURCES = {
    "draw_text": "ebaf96239c6ca3635d2b91bfb34718c2dcebd7809fec1c53fb8dffd1366befe3",
    "draw_first_line": "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
}


class WeasyPrintChanged(RuntimeError):
    pass


# The functions as WeasyPrint defines them, before install() replaces draw_first_line.
_WEASYPRINT_FUNCTIONS = {name: getattr(weasyprint_text, name) for name in REVIEWED_SOURCES}


def source_fingerprint(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()


def check_weasyprint(
    version: str = weasyprint.__version__, sources: dict[str, str] = REVIEWED_SOURCES
) -> None:
    """Refuse to hook into a WeasyPrint whose drawing of text was not reviewed."""
    if version != REVIEWED_VERSION:
        raise WeasyPrintChanged(
            f"WeasyPrint {version} is installed, but reporting/pdf_text.py was reviewed against "
            f"{REVIEWED_VERSION}: check how it draws text, then update REVIEWED_VERSION and "
            "REVIEWED_SOURCES."
        )
    for name, expected in sources.items():
        actual = source_fingerprint(_WEASYPRINT_FUNCTIONS[name])
        if actual != expected:
            raise WeasyPrintChanged(
                f"weasyprint.draw.text.{name} has changed (SHA-256 {actual}, reviewed {expected}): "
                "check that reporting/pdf_text.py still matches how it draws text, then update "
                "REVIEWED_SOURCES."
            )


def _glyph_texts(stream, textbox):
    """(glyph's text in the font's ToUnicode map, text it was drawn for here) of the line's glyphs,
    computed as WeasyPrint's draw_first_line computes them."""
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8_text = textbox.pango_layout.text.encode()
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        clusters = glyph_string.log_clusters
        item = glyph_item.item
        rtl = item.analysis.level % 2
        font, _ = stream.add_font(item.analysis.font)
        for i in range(count):
            glyph_id = glyph_string.glyphs[i].glyph
            if glyph_id == pango.PANGO_GLYPH_EMPTY or glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                continue
            start = clusters[i]
            if rtl:
                end = item.length if i == 0 else clusters[i - 1]
            else:
                end = item.length if i == count - 1 else clusters[i + 1]
            drawn_for = utf8_text[item.offset + start : item.offset + end].decode()
            yield font.to_unicode.get(glyph_id), drawn_for


def _line_text(textbox) -> str:
    first_line, _ = textbox.pango_layout.get_first_line()
    utf8_text = textbox.pango_layout.text.encode()
    return utf8_text[first_line.start_index : first_line.start_index + first_line.length].decode()


_original_draw_first_line = _WEASYPRINT_FUNCTIONS["draw_first_line"]


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's draw_first_line, then the line wrapped in an ActualText span if needed."""
    start = len(stream.stream)
    emojis = _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if len(stream.stream) == start:
        return emojis
    if any(mapped != drawn_for for mapped, drawn_for in _glyph_texts(stream, textbox)):
        actual_text = pydyf.Dictionary({"ActualText": pydyf.String(_line_text(textbox))})
        stream.stream[start:start] = [b"/Span", actual_text, b"BDC"]
        stream.end_marked_content()
    return emojis


def install() -> None:
    """Hook into WeasyPrint's drawing of text (once; checks the version and sources first)."""
    if weasyprint_text.draw_first_line is draw_first_line:
        return
    check_weasyprint()
    weasyprint_text.draw_first_line = draw_first_line
