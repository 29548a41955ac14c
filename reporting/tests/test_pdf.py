"""Real WeasyPrint PDFs, read back with pypdf and pdftotext."""

import io
import itertools
import json
import logging
import re
import shutil

import pdfplumber
import pytest
from pypdf import PdfReader

from assessments.models import Answer, ImpactRating, ParticipationEntry
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.scales import Impact
from reporting import pdf
from reporting.models import RenderedPdf
from reporting.tests.pdf_checks import extracted_text, squeezed, stored_pdf

# A name or place in every script London's communities write in.
NAMES = {
    "Latin with diacritics": "Zoë Brontë-Núñez, Łódź, Şükrü Çelik",
    "Arabic": "مريم الحسيني",
    "Urdu": "عائشہ خان",
    "Bengali": "রহিম উদ্দিন",
    "Gurmukhi": "ਹਰਪ੍ਰੀਤ ਕੌਰ",
    "Devanagari": "प्रिया पटेल",
    "Tamil": "கார்த்திக் சுப்ரமணியம்",
    "Chinese": "陈美玲",
    "Greek": "Γιώργος Παπαδόπουλος",
    "Cyrillic": "Олена Коваленко",
    # A reph (र् above a later letter): WeasyPrint's glyph map alone reads it back with a vowel
    # sign repeated; reporting/pdf_text.py gives its line the written text.
    "Devanagari with a reph": "शर्मा",
}


@pytest.mark.django_db
def test_sign_off_stores_the_pdf_once_with_its_own_fingerprint(signed_off):
    rendered = RenderedPdf.objects.get(snapshot=signed_off.snapshot)
    data = stored_pdf(signed_off)
    assert data.startswith(b"%PDF-")
    assert rendered.sha256 == pdf.file_sha256(data) != signed_off.snapshot.sha256
    assert rendered.size == len(data)
    assert rendered.attempts == 1


@pytest.mark.django_db
def test_the_cover_carries_the_snapshot_fingerprint_and_every_section_title(signed_off, tmp_path):
    data = stored_pdf(signed_off)
    reader = PdfReader(io.BytesIO(data))
    cover = reader.pages[0].extract_text()
    assert signed_off.snapshot.sha256 in "".join(cover.split())
    assert signed_off.reference in cover
    text = extracted_text(data, tmp_path)
    for title in signed_off.framework_version.sections.values_list("title", flat=True):
        assert title in text
    assert re.search(r"Page 1 of \d+", text)


@pytest.mark.django_db
def test_the_pdf_is_tagged_with_a_title_and_a_language(signed_off):
    reader = PdfReader(io.BytesIO(stored_pdf(signed_off)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title == f"{signed_off.reference}: {signed_off.title}"


@pytest.mark.django_db
def test_headings_come_in_order(signed_off):
    html = pdf.assessment_html(signed_off.snapshot.document, signed_off.snapshot.sha256)
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
def test_names_in_every_script_are_drawn_with_real_glyphs_and_extract_as_the_same_text(
    staff_user, sign_off, tmp_path, caplog
):
    assessment = fill_assessment(
        make_assessment(staff_user, title=f"Listening with {NAMES['Greek']}"), user=staff_user
    )
    Answer.objects.filter(assessment=assessment, question__key="affected").update(
        value="\n".join(NAMES.values())
    )
    ParticipationEntry.objects.filter(assessment=assessment).update(who=NAMES["Bengali"])
    caplog.set_level(logging.WARNING, logger="weasyprint")
    signed = sign_off(assessment)
    missing_glyphs = [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()]
    assert missing_glyphs == []
    text = squeezed(extracted_text(stored_pdf(signed), tmp_path))
    for script, name in NAMES.items():
        assert squeezed(name) in text, script


def test_a_glyph_no_font_has_is_reported(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf._render(
        '<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>\U000f0000</body></html>'
    )
    assert any(".notdef" in record.getMessage() for record in caplog.records)


def test_documents_cannot_load_files_or_addresses():
    html = (
        '<html lang="en"><head><meta charset="utf-8"><title>t</title>'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><img src="http://127.0.0.1:9/x.png" alt="x"></body></html>'
    )
    data = pdf._render(html)
    assert b"root:" not in data


@pytest.mark.django_db
def test_a_small_assessment_is_not_padded_with_a_page_per_section(signed_off):
    sections = signed_off.framework_version.sections.count()
    pages = len(PdfReader(io.BytesIO(stored_pdf(signed_off))).pages)
    assert pages < sections


@pytest.mark.django_db
def test_negative_ratings_stand_out_in_the_impact_grid_by_text_and_weight(staff_user, sign_off):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    negative = ImpactRating.objects.filter(assessment=assessment).first()
    ImpactRating.objects.filter(pk=negative.pk).update(impact=Impact.NEGATIVE, mitigation="Evening sessions.")
    add_action(assessment, characteristics=[negative.characteristic])
    data = stored_pdf(sign_off(assessment))
    with pdfplumber.open(io.BytesIO(data)) as document:
        chars = [char for page in document.pages for char in page.chars if not char["text"].isspace()]
    text = "".join(char["text"] for char in chars)
    assert text.count(pdf.NEGATIVE_MARK) == 1
    texts = [char["text"] for char in chars]
    start = texts.index(pdf.NEGATIVE_MARK) + 1
    label = chars[start : start + len("Somenegative")]
    assert "".join(char["text"] for char in label) == "Somenegative"
    assert all("Bold" in char["fontname"] for char in label)
    neutral = next(i for i in range(len(texts)) if "".join(texts[i : i + 7]) == "Neutral")
    assert not any("Bold" in char["fontname"] for char in chars[neutral : neutral + 7])


def test_every_table_s_columns_add_up_to_the_page_width():
    for headers, widths in pdf.declared_widths().items():
        assert sum(widths) == 100 and len(widths) == len(headers), headers
    assert sum(pdf.column_widths(["A", "B", "C"])) == 100


@pytest.mark.django_db
def test_ordinary_words_in_tables_are_never_broken_across_lines(signed_off):
    document = json.loads(signed_off.snapshot.document)
    written = {
        word
        for section in document["sections"]
        for table in section["tables"]
        for text in [*table["headers"], *itertools.chain.from_iterable(table["rows"])]
        for word in re.findall(r"\w+", text)
    }
    with pdfplumber.open(io.BytesIO(stored_pdf(signed_off))) as reader:
        drawn = {
            word
            for page in reader.pages
            for extracted in page.extract_words()
            for word in re.findall(r"\w+", extracted["text"])
        }
    assert written - drawn == set()


def test_a_missing_emoji_font_stops_rendering_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "NOTO_EMOJI_PATH", tmp_path / "noto-emoji.woff")
    monkeypatch.setattr(pdf, "_styles", None)
    with pytest.raises(FileNotFoundError, match="make assets"):
        pdf._render("<p>x</p>")
