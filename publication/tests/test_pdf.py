"""The public summary's and the Easy Read version's PDFs, read back as their readers will."""

import io

import pdfplumber
import pytest
from django.urls import reverse
from pypdf import PdfReader

from publication.tests.factories import ACTION_TEXT, EASY_READ, SUMMARY
from reporting.tests.pdf_checks import (
    characters_outside_the_page,
    comparable,
    fonts_with_custom_encoding,
    missing_glyphs,
    pdftotext,
    structure_elements,
)

pytestmark = pytest.mark.django_db


def download(client, name, assessment) -> bytes:
    response = client.get(reverse(f"publication:{name}", args=[assessment.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return response.content


def assert_tagged(data: bytes, title: str) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title == title
    assert not fonts_with_custom_encoding(data)
    assert not characters_outside_the_page(data)
    return reader


def test_the_summary_pdf_is_tagged_and_holds_the_summary_and_the_actions(
    client, published_assessment, staff_user
):
    with missing_glyphs() as missing:
        data = download(client, "summary_pdf", published_assessment)
    assert not missing
    assert_tagged(data, f"{published_assessment.title}: public summary")
    text = comparable(pdftotext(data))
    for value in (*SUMMARY.values(), ACTION_TEXT):
        assert comparable(value) in text
    assert staff_user.first_name not in pdftotext(data)


def test_the_easy_read_pdf_is_a4_landscape_with_a_described_picture_beside_each_point(
    client, published_assessment
):
    with missing_glyphs() as missing:
        data = download(client, "easy_read_pdf", published_assessment)
    assert not missing
    reader = assert_tagged(data, f"{published_assessment.title}: Easy Read")
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = comparable(pdftotext(data))
    for sentence, _picture in EASY_READ:
        assert comparable(sentence) in text
    assert "CCBY-SA4.0" in text
    figures = [element for element in structure_elements(data) if element["/S"] == "/Figure"]
    assert [str(figure.get("/Alt")) for figure in figures] == [
        "A group of people",
        "A speech bubble",
        "A calendar",
    ]
    # Each picture is drawn (as vector paths) on the left, and its sentence beside it, on the right.
    with pdfplumber.open(io.BytesIO(data)) as document:
        page = document.pages[0]
        drawings = page.curves + page.rects + page.lines
        assert drawings, "the pictures are drawn"
        pictures_right_edge = max(shape["x1"] for shape in drawings if shape["x0"] < page.width / 4)
        words = page.extract_words()
        for sentence, _picture in EASY_READ:
            first = next(word for word in words if word["text"] == sentence.split()[0])
            assert first["x0"] > pictures_right_edge
