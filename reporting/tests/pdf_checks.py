"""Checks that read a rendered PDF back as its readers will: the text layer (pdftotext and
pypdf), the fonts (pdffonts), the position of every character (pdfplumber) and the structure
tree (pypdf). Shared by the tests of every PDF the application makes."""

import io
import logging
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader

from reporting.models import RenderedPdf

# Directional marks pdftotext puts around right-to-left runs, and other invisible marks.
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SOFT_HYPHEN = "\u00ad"


def comparable(text: str) -> str:
    """Text as compared: NFC, without whitespace, soft hyphens or bidirectional marks."""
    text = BIDI_MARKS.sub("", text).replace(SOFT_HYPHEN, "")
    return "".join(unicodedata.normalize("NFC", text).split())


def _run(command: list[str], data: bytes) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        result = subprocess.run([*command, str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdftotext(data: bytes, *, raw: bool = False) -> str:
    """The text layer as poppler reads it (it honours ActualText spans).

    By default pdftotext joins a line that ends in a hyphen to the next one without the hyphen,
    as for a hyphenated word, so a link wrapped after a hyphen loses it. ``raw`` keeps the text
    as drawn, in the order drawn (a table cell's lines together; right-to-left lines as laid out).
    """
    return _run(["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else [])], data)


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@dataclass(frozen=True)
class PdfFont:
    name: str
    type: str
    encoding: str
    embedded: bool


def pdffonts(data: bytes) -> list[PdfFont]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        result = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    lines = result.stdout.splitlines()
    # Columns are fixed-width, laid out by the dashes under the header.
    widths = [len(dashes) for dashes in lines[1].split(" ")]
    fonts = []
    for line in lines[2:]:
        fields, start = [], 0
        for width in widths:
            fields.append(line[start : start + width].strip())
            start += width + 1
        fonts.append(PdfFont(name=fields[0], type=fields[1], encoding=fields[2], embedded=fields[3] == "yes"))
    return fonts


def fonts_with_custom_encoding(data: bytes) -> list[str]:
    return [font.name for font in pdffonts(data) if font.encoding == "Custom"]


def characters_outside_the_page(data: bytes) -> list[str]:
    """Every character drawn (even partly) outside its page's box, with its page number."""
    outside = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            x0, top, x1, bottom = page.bbox
            for char in page.chars:
                inside = (
                    char["x0"] >= x0 - 0.01
                    and char["x1"] <= x1 + 0.01
                    and char["top"] >= top - 0.01
                    and char["bottom"] <= bottom + 0.01
                )
                if not inside:
                    outside.append(f"page {number}: {char['text']!r} at x={char['x0']:.1f}..{char['x1']:.1f}")
    return outside


@contextmanager
def missing_glyphs() -> Iterator[list[str]]:
    """Collects WeasyPrint's warnings about glyphs no font has (drawn as .notdef boxes)."""
    found: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if ".notdef" in record.getMessage():
                found.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler, level = Handler(logging.WARNING), logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level or logging.WARNING, logging.WARNING))
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def structure_elements(data: bytes) -> Iterator[dict]:
    """Every element of the structure tree, depth first."""
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]
    pending = [root.get("/K")]
    while pending:
        node = pending.pop()
        if node is None:
            continue
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            pending.extend(reversed(node))
        elif isinstance(node, dict) and "/S" in node:
            yield node
            pending.append(node.get("/K"))


def header_cell_scopes(data: bytes) -> list[str | None]:
    """The /Scope of every TH element of the structure tree (None where it has none)."""
    scopes = []
    for element in structure_elements(data):
        if element["/S"] == "/TH":
            scope = None
            attributes = element.get("/A")
            attributes = attributes.get_object() if attributes is not None else None
            for attribute in attributes if isinstance(attributes, list) else [attributes]:
                attribute = attribute.get_object() if attribute is not None else None
                if attribute is not None and attribute.get("/O") == "/Table" and "/Scope" in attribute:
                    scope = str(attribute["/Scope"])
            scopes.append(scope)
    return scopes


# The marks ``squeezed`` drops: directional marks and isolates, as pdftotext writes them.
SQUEEZED_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def extracted_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def squeezed(text: str) -> str:
    return "".join(SQUEEZED_MARKS.sub("", text).split())


def stored_pdf(assessment) -> bytes:
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    assert rendered.status == RenderedPdf.Status.READY
    with rendered.file.open("rb") as stored:
        return stored.read()
