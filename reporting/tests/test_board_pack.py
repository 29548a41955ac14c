"""The board pack as the Advisory Board reads it: one tagged document, real WeasyPrint output read back."""

import io
import itertools
import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination, DictionaryObject, IndirectObject

from assessments import lifecycle
from assessments import services as assessment_services
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from reporting import pdf, services
from reporting.models import BoardPack

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")

PACK_TITLE = "December meeting"
PRINTED_PAGE = re.compile(r"Page (\d+) of (\d+)")


def signed_off_without_its_pdf(assessment, *, approver):
    """Submitted and signed off; its own PDF is not rendered, since nothing here commits."""
    assessment_services.assessment_submit(assessment=assessment, user=assessment.owner)
    lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def pack(staff_user, board_user, approver_user, django_capture_on_commit_callbacks):
    """A pack of three signed-off assessments, built as the board's request builds it."""
    assessments = [
        signed_off_without_its_pdf(
            fill_assessment(make_assessment(staff_user, title=title), user=staff_user), approver=approver_user
        )
        for title in ("Peer support in Newham", "Crisis cafe in Lambeth", "Schools outreach in Brent")
    ]
    created = build_pack(assessments, board_user=board_user, capture=django_capture_on_commit_callbacks)
    return created, sorted(assessments, key=lambda a: a.reference)


def build_pack(assessments, *, board_user, capture) -> BoardPack:
    with capture(execute=True):
        created = services.board_pack_create(
            user=board_user, title=PACK_TITLE, meeting_date=date(2026, 12, 10), assessments=assessments
        )
    created.refresh_from_db()
    assert created.status == BoardPack.Status.READY, created.last_error
    return created


def squeezed(text: str) -> str:
    """Text without whitespace: table cells wrap differently from how they were written."""
    return "".join(text.split())


def pack_reader(pack: BoardPack) -> tuple[bytes, PdfReader]:
    with pack.file.open("rb") as stored:
        data = stored.read()
    return data, PdfReader(io.BytesIO(data))


def page_texts(data: bytes, tmp_path, *, layout: bool = True) -> list[str]:
    """The text of every page, one pdftotext run per page (with ``layout``, lines as printed)."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    count = len(PdfReader(io.BytesIO(data)).pages)
    mode = ["-layout"] if layout else []
    texts = []
    for number in range(1, count + 1):
        pages = ["-f", str(number), "-l", str(number)]
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *mode, *pages, str(path), "-"], capture_output=True, check=True
        )
        texts.append(result.stdout.decode("utf-8"))
    return texts


def contents_pages(texts: list[str], assessments) -> dict[str, int]:
    """The page number the pack's contents page gives for each assessment, by reference."""
    cover = texts[0]
    found = {}
    for assessment in assessments:
        line = next(line for line in cover.splitlines() if assessment.reference in line)
        found[assessment.reference] = int(line.split()[-1])
    return found


def assessment_ranges(texts: list[str], assessments) -> dict[str, range]:
    """Each assessment's pages (0-based indexes): from its first page to the next one's."""
    listed = contents_pages(texts, assessments)
    starts = [listed[a.reference] - 1 for a in assessments]
    ranges = dict(zip(listed, map(range, starts, [*starts[1:], len(texts)]), strict=True))
    for reference, pages in ranges.items():
        # Its cover, then pages headed with its reference: nothing of another assessment.
        assert all(reference in texts[page] for page in pages), reference
    return ranges


def link_annotations(reader: PdfReader):
    """(page index, destination page index) for every internal link in the document."""
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            destination = annotation.get("/Dest")
            if destination is None and "/A" in annotation and annotation["/A"].get("/S") == "/GoTo":
                destination = annotation["/A"]["/D"]
            if destination is None:
                continue
            yield index, destination_page(reader, destination)


def destination_page(reader: PdfReader, destination) -> int:
    destination = destination.get_object() if hasattr(destination, "get_object") else destination
    if isinstance(destination, str):
        return reader.get_destination_page_number(reader.named_destinations[destination])
    if isinstance(destination, Destination):
        return reader.get_destination_page_number(destination)
    return reader.get_page_number(destination[0].get_object())


@pytest.mark.django_db
def test_the_pack_is_one_tagged_document_with_a_title_and_a_language(pack):
    made, assessments = pack
    _, reader = pack_reader(made)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title == f"{PACK_TITLE}: Thrive LDN Advisory Board pack"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    # The structure tree reaches every page, not just the cover's.
    tagged_pages = pages_in_structure(root["/StructTreeRoot"], reader)
    assert tagged_pages == set(range(len(reader.pages)))
    assert len(reader.pages) > 3 * len(assessments)


@pytest.mark.django_db
def test_the_packs_headings_come_in_order_and_its_ids_are_unique(pack):
    made, assessments = pack
    html = pdf.board_pack_html(
        title=made.title,
        meeting_date=made.meeting_date,
        snapshots=[(a.snapshot.document, a.snapshot.sha256) for a in assessments],
    )
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) > 10 * len(assessments)
    assert {href[1:] for href in re.findall(r' href="(#[^"]+)"', html)} <= set(ids)


def pages_in_structure(element, reader: PdfReader) -> set[int]:
    """The indexes of the pages that the structure elements under ``element`` mark content on."""
    pages, pending = set(), [element]
    while pending:
        node = pending.pop().get_object()
        if "/Pg" in node:
            pages.add(reader.get_page_number(node["/Pg"].get_object()))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            # Marked-content ids are plain numbers; structure elements are dictionaries.
            if isinstance(kid, IndirectObject | DictionaryObject) and isinstance(kid.get_object(), dict):
                pending.append(kid)
    return pages


@pytest.mark.django_db
def test_printed_page_numbers_and_page_labels_agree_with_the_contents_page(pack, tmp_path):
    made, assessments = pack
    data, reader = pack_reader(made)
    texts = page_texts(data, tmp_path)
    for index, text in enumerate(texts):
        printed = PRINTED_PAGE.search(text)
        assert printed, f"page {index + 1} has no page number"
        assert (int(printed[1]), int(printed[2])) == (index + 1, len(texts))
        assert reader.page_labels[index] == str(index + 1)
    listed = contents_pages(texts, assessments)
    for assessment in assessments:
        first_page = texts[listed[assessment.reference] - 1]
        assert assessment.title in first_page and assessment.reference in first_page
    # Each assessment's own contents also gives pack-wide pages, where its sections really are.
    for assessment in assessments:
        start = listed[assessment.reference] - 1
        own_contents = texts[start]
        line = next(line for line in own_contents.splitlines() if line.strip().startswith("Sign-off"))
        sign_off_page = texts[int(line.split()[-1]) - 1]
        assert "Signed off by" in sign_off_page and assessment.reference in sign_off_page


@pytest.mark.django_db
def test_contents_entries_are_links_to_the_first_page_of_each_assessment(pack, tmp_path):
    made, assessments = pack
    data, reader = pack_reader(made)
    listed = contents_pages(page_texts(data, tmp_path), assessments)
    from_cover = {target for page, target in link_annotations(reader) if page == 0}
    assert from_cover == {listed[a.reference] - 1 for a in assessments}


@pytest.mark.django_db
def test_every_internal_link_lands_inside_its_own_assessment(pack, tmp_path):
    made, assessments = pack
    data, reader = pack_reader(made)
    ranges = assessment_ranges(page_texts(data, tmp_path), assessments)
    checked = {reference: 0 for reference in ranges}
    for page, target in link_annotations(reader):
        owner = next((reference for reference, pages in ranges.items() if page in pages), None)
        if owner is None:
            continue  # the pack's own contents, checked above
        assert target in ranges[owner], f"a link on page {page + 1} of {owner} jumps to page {target + 1}"
        checked[owner] += 1
    assert all(count >= 3 for count in checked.values()), checked


@pytest.mark.django_db
def test_bookmarks_hold_each_assessment_with_its_sections(pack):
    made, assessments = pack
    _, reader = pack_reader(made)
    outline = reader.outline
    top_level = [(index, item) for index, item in enumerate(outline) if not isinstance(item, list)]
    labels = [item.title for _, item in top_level]
    assert labels == ["Contents", *[f"{a.reference}: {a.title}" for a in assessments]]
    for assessment, (index, entry) in zip(assessments, top_level[1:], strict=True):
        children = outline[index + 1]
        assert all(not isinstance(child, list) for child in children), "sections have no entries of their own"
        document = json.loads(assessment.snapshot.document)
        expected = [
            *(["Summary"] if document["assessment"]["summary"] else []),
            *[section["title"] for section in document["sections"]],
            *(["Advisory Board feedback on earlier versions"] if document["board_feedback"] else []),
            "Sign-off",
        ]
        assert [child.title for child in children] == expected
        first = reader.get_destination_page_number(entry)
        following = top_level[top_level.index((index, entry)) + 1 :]
        end = reader.get_destination_page_number(following[0][1]) if following else len(reader.pages)
        assert all(first <= reader.get_destination_page_number(child) < end for child in children)


@pytest.mark.django_db
def test_the_pack_shows_each_signed_off_record_not_what_changed_since(
    staff_user, board_user, signed_off, sign_off, django_capture_on_commit_callbacks, tmp_path
):
    assessment = fill_assessment(make_assessment(staff_user, title="Crisis cafe in Lambeth"), user=staff_user)
    action = add_action(assessment, action="Open on Sunday evenings.")
    assessment = sign_off(assessment)
    document = json.loads(assessment.snapshot.document)
    # Monitoring goes on after sign-off; the pack shows what was signed off.
    lifecycle.action_follow_up(
        action=action,
        user=staff_user,
        status="dropped",
        progress_notes="Funding ended.",
        due_date=date(2031, 7, 4),
    )
    made = build_pack(
        [signed_off, assessment], board_user=board_user, capture=django_capture_on_commit_callbacks
    )
    data, _ = pack_reader(made)
    pages = [squeezed(text) for text in page_texts(data, tmp_path, layout=False)]
    action_page = next(text for text in pages if squeezed(action.action) in text)
    (signed_row,) = [
        row
        for section in document["sections"]
        for table in section["tables"]
        for row in table["rows"]
        if action.action in row
    ]
    assert all(squeezed(str(cell)) in action_page for cell in signed_row)
    assert "2031" not in action_page and "Dropped" not in action_page
