# ruff: noqa: RUF001  (text in many scripts is what this module tests)
"""One assessment PDF holding what real staff write: a paragraph in every script London's
communities write in, seven emoji, and a 300-character link and a 120-character document ID in
every answer and in the last column of every table. Rendered once for the module (from a real
snapshot of a filled-in assessment, its free text replaced), read back as a screen reader, a
search or a copy would read it. Then the extension that gives shared glyphs their text.

What is asserted:
- pdftotext gives back every paragraph exactly, compared in NFC without whitespace, soft hyphens
  and bidirectional marks. Urdu is compared whole, in logical order. Arabic written with ASCII
  full stops is compared word by word, each word in logical order: pdftotext orders the runs of
  a right-to-left line visually around a full stop that is not itself right-to-left.
- Links and IDs come back as often as they were written, read with ``pdftotext -raw``
  (otherwise pdftotext drops a hyphen that ends a line, as for a hyphenated word).
- No character lies outside its page's box (pdfplumber); WeasyPrint logs no .notdef; pdffonts
  shows no font with a custom encoding; pypdf reads the Latin paragraphs as written.
"""

import io
import json
import re

import pytest
from django.db import transaction
from pypdf import PdfReader
from weasyprint.draw import text as weasyprint_text

from assessments.snapshots import canonical_json, fingerprint
from reporting import pdf, pdf_text
from reporting.tests import pdf_checks

# The module's fixture builds its document in the test database (and rolls it back).
pytestmark = pytest.mark.django_db

PARAGRAPHS = {
    "Bengali": (
        "আমরা স্থানীয় পরিবারগুলোর সাথে কথা বলেছি এবং মানসিক স্বাস্থ্য সহায়তা সম্পর্কে তাদের মতামত শুনেছি। "
        "রহিম উদ্দিন বলেছেন যে কমিউনিটি কেন্দ্রে সহায়তা পাওয়া সহজ হওয়া উচিত।"
    ),
    "Devanagari": (
        "हमने स्थानीय परिवारों से बात की और मानसिक स्वास्थ्य सहायता के बारे में उनकी राय सुनी। "
        "प्रिया शर्मा ने कहा कि सामुदायिक केंद्र में मदद मिलना आसान होना चाहिए।"
    ),
    "Gujarati": (
        "અમે સ્થાનિક પરિવારો સાથે વાત કરી અને માનસિક સ્વાસ્થ્ય સહાય વિશે તેમના વિચારો સાંભળ્યા. "
        "કીર્તિ પટેલે કહ્યું કે સમુદાય કેન્દ્રમાં મદદ મેળવવી સરળ હોવી જોઈએ."
    ),
    "Gurmukhi": (
        "ਅਸੀਂ ਸਥਾਨਕ ਪਰਿਵਾਰਾਂ ਨਾਲ ਗੱਲ ਕੀਤੀ ਅਤੇ ਮਾਨਸਿਕ ਸਿਹਤ ਸਹਾਇਤਾ ਬਾਰੇ ਉਨ੍ਹਾਂ ਦੇ ਵਿਚਾਰ ਸੁਣੇ। "
        "ਹਰਪ੍ਰੀਤ ਕੌਰ ਨੇ ਕਿਹਾ ਕਿ ਕਮਿਊਨਿਟੀ ਸੈਂਟਰ ਵਿੱਚ ਮਦਦ ਲੈਣਾ ਆਸਾਨ ਹੋਣਾ ਚਾਹੀਦਾ ਹੈ।"
    ),
    "Tamil": (
        "நாங்கள் உள்ளூர் குடும்பங்களுடன் பேசினோம், மனநல ஆதரவு பற்றிய அவர்களின் கருத்துகளைக் கேட்டோம். "
        "கார்த்திக் சுப்ரமணியம் சமூக மையத்தில் உதவி பெறுவது எளிதாக இருக்க வேண்டும் என்றார்."
    ),
    "Urdu": (
        "ہم نے مقامی خاندانوں سے بات کی اور ذہنی صحت کی مدد کے بارے میں ان کی رائے سنی۔ "
        "عائشہ خان نے کہا کہ کمیونٹی سینٹر میں مدد حاصل کرنا آسان ہونا چاہیے۔"
    ),
    "Arabic": (
        "تحدثنا مع العائلات المحلية واستمعنا إلى آرائهم حول دعم الصحة النفسية. "
        "قالت مريم الحسيني إن الحصول على المساعدة في المركز المجتمعي يجب أن يكون سهلا."
    ),
    "Chinese": "我们与当地家庭交谈，听取了他们对心理健康支持的意见。陈美玲说，在社区中心获得帮助应该更容易。",
    "Polish": (
        "Rozmawialiśmy z lokalnymi rodzinami i wysłuchaliśmy ich zdania o wsparciu zdrowia psychicznego. "
        "Małgorzata Wójcik z Łodzi powiedziała, że pomoc w ośrodku powinna być łatwiejsza do zdobycia."
    ),
    "Turkish": (
        "Yerel ailelerle konuştuk ve ruh sağlığı desteği hakkındaki görüşlerini dinledik. "
        "Şükrü Çelik, toplum merkezinde yardım almanın daha kolay olması gerektiğini söyledi."
    ),
    "Somali": (
        "Waxaan la hadalnay qoysaska deegaanka waxaanan dhagaysanay aragtidooda ku saabsan taageerada "
        "caafimaadka maskaxda. Xaliimo Cabdi ayaa sheegtay in caawimaadda xarunta bulshada ay fududaato."
    ),
    "Yoruba": (
        "A bá àwọn ìdílé àdúgbò sọ̀rọ̀, a sì gbọ́ èrò wọn nípa ìrànlọ́wọ́ ìlera ọpọlọ. "
        "Adébáyọ̀ Ọlọ́rúnfẹ́mi sọ pé ó yẹ kí ìrànlọ́wọ́ rọrùn láti rí gbà ní ilé-iṣẹ́ àwùjọ."
    ),
    "Greek": (
        "Μιλήσαμε με τοπικές οικογένειες και ακούσαμε τις απόψεις τους για την υποστήριξη ψυχικής υγείας. "
        "Ο Γιώργος Παπαδόπουλος είπε ότι η βοήθεια στο κοινοτικό κέντρο πρέπει να είναι πιο εύκολη."
    ),
    "Cyrillic": (
        "Ми поговорили з місцевими родинами та вислухали їхні думки щодо підтримки психічного здоров'я. "
        "Олена Коваленко сказала, що отримати допомогу в громадському центрі має бути легше."
    ),
}
LATIN = ("Polish", "Turkish", "Somali", "Yoruba")
EMOJI = "Feedback from the community day: 😀 🙏 🌍 🎉 🤝 💬 🌈"
# What staff paste: an evidence link copied from SharePoint, and a document ID.
LONG_URL = (
    "https://thriveldn.sharepoint.com/sites/EqualityImpact/Shared%20Documents/Evidence/2026/"
    "Newham-peer-support/Community-listening-events/Focus-group-transcripts-and-notes/"
    "Session-three-young-peoples-advisory-group-annotated-final-version-approved-by-panel.pdf"
    "?csf=1&web=1&e=Xy7QzW4vRt2pLm9KdA&ref=EIA026"
)
LONG_TOKEN = "DOC-" + "".join(f"{n:02d}AB7C9E" for n in range(14)) + "ZZ42"
# The narrow columns of the action plan (whose last column, Status, is where its long text goes
# too), each holding a long ID as well.
ACTION_COLUMNS = ("Groups", "Principle", "Owner", "Due", "Measure")


def test_the_test_content_is_what_it_says():
    assert len(LONG_URL) == 300
    assert len(LONG_TOKEN) == 120
    assert len({char for char in EMOJI if ord(char) > 0x2000}) == 7


def _cell(number: int) -> str:
    """The text of the n-th free-text place: one script's paragraph, the emoji, a link, an ID."""
    script = list(PARAGRAPHS)[number % len(PARAGRAPHS)]
    return f"{PARAGRAPHS[script]}\n{EMOJI}\n{LONG_URL}\n{LONG_TOKEN}"


def _fill_with_test_content(document: dict) -> dict:
    places = 0
    for section in document["sections"]:
        for item in section["answers"]:
            item["answer"] = _cell(places)
            places += 1
        for table in section["tables"]:
            for row in table["rows"]:
                row[-1] = _cell(places)
                places += 1
                if table["headers"][-1] == "Status":
                    for column in ACTION_COLUMNS:
                        row[table["headers"].index(column)] = LONG_TOKEN
    document["assessment"]["summary"] = "\n\n".join(PARAGRAPHS.values())
    return document


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """The PDF of a full assessment whose free text is the test content, and what was logged."""
    from assessments.selectors import assessment_content
    from assessments.snapshots import snapshot_document
    from assessments.tests.factories import add_action, fill_assessment, make_assessment
    from thrive_edi.roles import Role
    from thrive_edi.tests.factories import UserFactory

    with django_db_blocker.unblock(), transaction.atomic():
        owner = UserFactory(username="alice", role=Role.STAFF, first_name="Alice")
        approver = UserFactory(username="bob", role=Role.APPROVER, first_name="Bob")
        assessment = fill_assessment(make_assessment(owner), user=owner)
        add_action(assessment)
        add_action(assessment, issue="Leaflets only in English.")
        document = snapshot_document(
            assessment_content(assessment), signed_off_by=approver, signed_off_at=assessment.created_at
        )
        transaction.set_rollback(True)
    text = canonical_json(_fill_with_test_content(json.loads(canonical_json(document))))
    assert len(text) > 0
    with pdf_checks.missing_glyphs() as missing:
        data = pdf.render_assessment_pdf(text, fingerprint(text))
    return {"pdf": data, "missing_glyphs": missing, "document": json.loads(text)}


@pytest.fixture(scope="module")
def pdftotext_text(rendered):
    return pdf_checks.comparable(pdf_checks.pdftotext(rendered["pdf"]))


def test_every_table_holds_the_long_link_and_id_in_its_last_column(rendered):
    tables = [table for section in rendered["document"]["sections"] for table in section["tables"]]
    assert len(tables) >= 6
    assert all(table["rows"] and LONG_URL in table["rows"][0][-1] for table in tables)


def test_no_character_lies_outside_the_page(rendered):
    assert pdf_checks.characters_outside_the_page(rendered["pdf"]) == []


def test_long_links_and_ids_come_back_in_the_text_layer_as_often_as_they_were_written(rendered):
    """Read with pdftotext -raw (without it, pdftotext drops a hyphen that ends a line), less what
    a page break puts inside a cell that goes on to the next page: the running header, the page
    number and the repeated header row of the table."""
    document = rendered["document"]
    meta = document["assessment"]
    running = pdf_checks.comparable(f"{meta['reference']} · {meta['title']}")
    header_rows = "|".join(
        re.escape(pdf_checks.comparable(" ".join(table["headers"])))
        for section in document["sections"]
        for table in section["tables"]
    )
    furniture = re.compile(rf"{re.escape(running)}Page\d+of\d+(?:{header_rows})?")
    text = furniture.sub("", pdf_checks.comparable(pdf_checks.pdftotext(rendered["pdf"], raw=True)))
    places = sum(
        len(section["answers"]) + sum(len(table["rows"]) for table in section["tables"])
        for section in rendered["document"]["sections"]
    )
    assert text.count(LONG_URL) == places
    assert text.count(LONG_TOKEN) == places + sum(
        len(table["rows"]) * len(ACTION_COLUMNS)
        for section in rendered["document"]["sections"]
        for table in section["tables"]
        if table["headers"][-1] == "Status"
    )


# pdftotext orders the runs of a right-to-left line visually around a full stop that is not
# itself right-to-left (Arabic written with "."), so that paragraph is compared word by word,
# each word (less that full stop) in logical order; Urdu, with its own full stop (U+06D4), is
# compared whole.
READ_WORD_BY_WORD = {"Arabic"}


@pytest.mark.parametrize("script", [script for script in PARAGRAPHS if script not in READ_WORD_BY_WORD])
def test_every_paragraph_reads_back_as_written(pdftotext_text, script):
    assert pdf_checks.comparable(PARAGRAPHS[script]) in pdftotext_text


def test_every_header_cell_carries_its_scope_in_the_structure_tree(rendered):
    tables = [table for section in rendered["document"]["sections"] for table in section["tables"]]
    scopes = pdf_checks.header_cell_scopes(rendered["pdf"])
    assert set(scopes) == {"/Column", "/Row"}
    # A table's header row is tagged again on each page it repeats on, and a row that goes on
    # to the next page is tagged on both.
    assert scopes.count("/Column") >= sum(len(table["headers"]) for table in tables)
    assert scopes.count("/Row") >= sum(len(table["rows"]) for table in tables)


def test_header_cells_in_the_head_of_a_table_are_column_headers_and_the_others_row_headers():
    html = PAGE.format(
        "</p><table><thead><tr><th scope='col'>Group</th><th scope='col'>Impact</th></tr></thead>"
        "<tbody><tr><th scope='row'>Age</th><td>Neutral</td></tr>"
        "<tr><th scope='row'>Race</th><td>Unknown</td></tr></tbody></table><p>"
    )
    assert pdf_checks.header_cell_scopes(pdf._render(html)) == ["/Column", "/Column", "/Row", "/Row"]


def test_no_glyph_is_missing(rendered):
    assert rendered["missing_glyphs"] == []


def test_no_font_falls_back_to_a_custom_encoding(rendered):
    assert pdf_checks.fonts_with_custom_encoding(rendered["pdf"]) == []


@pytest.mark.parametrize("script", sorted(READ_WORD_BY_WORD))
def test_every_word_of_a_right_to_left_paragraph_reads_back_in_logical_order(pdftotext_text, script):
    words = [pdf_checks.comparable(word.strip(".,")) for word in PARAGRAPHS[script].split()]
    assert [word for word in words if word not in pdftotext_text] == []
    assert [word for word in words if len(word) > 2 and word[::-1] in pdftotext_text] == []


def test_emoji_gujarati_and_the_fingerprint_have_their_own_fonts(rendered):
    fonts = {font.name.split("+", 1)[1] for font in pdf_checks.pdffonts(rendered["pdf"])}
    assert {"Noto-Emoji", "Noto-Sans-Gujarati", "Noto-Sans-Mono"} <= fonts
    assert all(font.embedded for font in pdf_checks.pdffonts(rendered["pdf"]))


def test_emoji_read_back(pdftotext_text):
    assert pdf_checks.comparable(EMOJI) in pdftotext_text


@pytest.mark.parametrize("script", LATIN)
def test_pypdf_reads_the_latin_paragraphs(rendered, script):
    text = pdf_checks.comparable(pdf_checks.pypdf_text(rendered["pdf"]))
    assert pdf_checks.comparable(PARAGRAPHS[script]) in text


# The extension that gives shared glyphs their real text (reporting/pdf_text.py).

SHARED_GLYPHS = "সিলেট থেকে সহায়তা এসেছে। রহিম আর রিমা সহায়তা পেয়েছেন।"
PAGE = '<html lang="en-GB"><head><meta charset="utf-8"><title>t</title></head><body><p>{}</p></body></html>'


def _text_of_one_page(data: bytes) -> str:
    return pdf_checks.comparable(pdf_checks.pdftotext(data)).removesuffix("Page1of1")


def _content_streams(data: bytes) -> bytes:
    return b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_hook_is_installed_on_the_weasyprint_it_was_reviewed_for():
    pdf_text.check_weasyprint()
    assert weasyprint_text.draw_first_line is pdf_text.draw_first_line


def test_another_weasyprint_version_is_refused_with_a_clear_message():
    with pytest.raises(pdf_text.WeasyPrintChanged, match=r"WeasyPrint 71\.0 is installed"):
        pdf_text.check_weasyprint(version="71.0")


def test_a_changed_drawing_function_is_refused_with_a_clear_message():
    with pytest.raises(pdf_text.WeasyPrintChanged, match="draw_first_line has changed"):
        pdf_text.check_weasyprint(sources={"draw_first_line": "0" * 64})


def test_a_glyph_shared_by_two_syllables_reads_back_as_written():
    data = pdf._render(PAGE.format(SHARED_GLYPHS))
    assert _text_of_one_page(data) == pdf_checks.comparable(SHARED_GLYPHS)
    assert b"/ActualText" in _content_streams(data)


def test_without_the_hook_the_same_text_reads_back_wrongly(monkeypatch):
    monkeypatch.setattr(weasyprint_text, "draw_first_line", pdf_text._original_draw_first_line)
    data = pdf._render(PAGE.format(SHARED_GLYPHS))
    assert _text_of_one_page(data) != pdf_checks.comparable(SHARED_GLYPHS)


def test_text_whose_glyphs_map_one_to_one_gets_no_actual_text():
    data = pdf._render(PAGE.format(PARAGRAPHS["Polish"] + " " + PARAGRAPHS["Greek"]))
    assert b"/ActualText" not in _content_streams(data)
