"""Evidence attached to an assessment: links and files, checked by content, kept privately,
fingerprinted in the signed snapshot and frozen with the assessment."""

import hashlib
import json
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments import evidence, lifecycle, services
from assessments.forms.evidence import URL_MESSAGE
from assessments.models import EVIDENCE_PREFIX, Evidence, FrozenAssessmentError
from assessments.refusals import Refused
from assessments.selectors import version_characteristics
from assessments.tests.factories import fill_assessment, make_assessment
from assessments.uploads import NAME_MESSAGE, SIZE_MESSAGE, TYPE_MESSAGE
from frameworks.models import Characteristic
from frameworks.services import framework_version_copy

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
CSV = b"Borough,Referrals\nNewham,120\nHackney,98\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files() -> list[str]:
    try:
        return default_storage.listdir(EVIDENCE_PREFIX)[1]
    except FileNotFoundError:
        return []


def page_url(assessment) -> str:
    return reverse("assessments:evidence", args=[assessment.reference])


def file_url(item) -> str:
    return reverse("assessments:evidence_file", args=[item.assessment.reference, item.pk])


def upload(client, assessment, name: str, data: bytes, **fields):
    posted = {"intent": "file", "file-file": SimpleUploadedFile(name, data), **fields}
    return client.post(page_url(assessment), posted)


@pytest.fixture
def filled(staff_user):
    return fill_assessment(make_assessment(staff_user), user=staff_user)


@pytest.mark.django_db
@pytest.mark.parametrize("executable", [ELF, MZ], ids=["elf", "windows"])
def test_an_executable_named_pdf_is_refused_with_a_clear_message_and_keeps_what_was_typed(
    editor, assessment, executable
):
    response = upload(editor, assessment, "survey.pdf", executable, **{"file-title": "Borough survey 2025"})
    assert response.status_code == 400
    page = response.content.decode()
    assert TYPE_MESSAGE in page
    assert 'href="#id_file-file"' in page  # the error summary links to the file box
    assert 'value="Borough survey 2025"' in page
    assert not Evidence.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(editor, assessment, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 100
    response = upload(editor, assessment, "survey.pdf", PDF + b" " * 200)
    assert SIZE_MESSAGE.format(limit="100\xa0bytes") in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_name_that_disagrees_with_the_content_is_refused(editor, assessment):
    response = upload(editor, assessment, "survey.pdf", PNG)
    expected = NAME_MESSAGE.format(extension="pdf", label="a PNG image")
    assert expected in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_csv_file_is_accepted_by_its_structure_and_binary_data_called_csv_is_not(editor, assessment):
    assert upload(editor, assessment, "referrals.csv", CSV).status_code == 302
    assert Evidence.objects.get().content_type == "text/csv"
    assert upload(editor, assessment, "junk.csv", b"\x00\x01\x02binary" * 20).status_code == 400
    assert Evidence.objects.count() == 1


@pytest.mark.django_db
def test_a_permitted_file_is_stored_privately_under_a_random_name(editor, assessment):
    response = upload(editor, assessment, "survey.pdf", PDF, **{"file-title": "Borough survey"})
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.file.name.startswith(f"{EVIDENCE_PREFIX}/") and "survey" not in item.file.name
    assert (item.file_name, item.size, item.content_type) == ("survey.pdf", len(PDF), "application/pdf")
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    with default_storage.open(item.file.name) as stored:
        assert stored.read() == PDF
    assert "Borough survey" in editor.get(page_url(assessment)).content.decode()


@pytest.mark.django_db
def test_the_file_downloads_as_an_attachment_browsers_do_not_sniff(editor, assessment):
    upload(editor, assessment, "survey.pdf", PDF)
    response = editor.get(file_url(Evidence.objects.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="survey.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_a_user_who_may_not_read_the_assessment_gets_404_for_its_files_and_page(
    client, editor, assessment, board_user, user_factory
):
    upload(editor, assessment, "survey.pdf", PDF)
    item = Evidence.objects.get()
    for outsider in (board_user, user_factory(username="nobody")):
        client.force_login(outsider)
        assert client.get(file_url(item)).status_code == 404
        assert client.get(page_url(assessment)).status_code == 404
    client.logout()
    assert client.get(file_url(item)).status_code == 302  # to sign in


@pytest.mark.django_db
def test_a_file_from_another_assessment_is_not_found_under_this_one(editor, assessment, staff_user):
    upload(editor, assessment, "survey.pdf", PDF)
    other = make_assessment(staff_user, title="Another")
    url = reverse("assessments:evidence_file", args=[other.reference, Evidence.objects.get().pk])
    assert editor.get(url).status_code == 404


@pytest.mark.django_db
def test_the_signed_snapshot_lists_the_file_by_name_size_and_sha256_and_the_board_may_read_it(
    client, editor, filled, sign_off, board_user
):
    upload(editor, filled, "survey.pdf", PDF, **{"file-title": "Borough survey"})
    editor.post(
        page_url(filled), {"intent": "link", "link-title": "ONS data", "link-url": "https://www.ons.gov.uk/"}
    )
    signed = sign_off(filled)
    document = json.loads(signed.snapshot.document)
    files = [item for item in document["evidence"] if item["kind"] == "file"]
    assert files == [
        {
            "kind": "file",
            "title": "Borough survey",
            "group": None,
            "name": "survey.pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "content_type": "application/pdf",
        }
    ]
    assert {"kind": "link", "title": "ONS data", "group": None, "url": "https://www.ons.gov.uk/"} in document[
        "evidence"
    ]
    client.force_login(board_user)
    assert client.get(file_url(Evidence.objects.get(kind=Evidence.Kind.FILE))).status_code == 200


@pytest.mark.django_db
def test_files_are_frozen_once_submitted_and_after_sign_off(editor, filled, staff_user, approver_user):
    upload(editor, filled, "survey.pdf", PDF)
    item = Evidence.objects.get()
    services.assessment_submit(assessment=filled, user=staff_user)
    with pytest.raises(PermissionDenied, match=Refused.EVIDENCE_FROZEN):
        evidence.evidence_file_add(
            assessment=filled, user=staff_user, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    response = upload(editor, filled, "more.pdf", PDF)
    assert response.status_code == 403 and Refused.EVIDENCE_FROZEN in response.content.decode()
    remove = reverse("assessments:evidence_remove", args=[filled.reference, item.pk])
    assert editor.post(remove).status_code == 403
    lifecycle.assessment_sign_off(assessment=filled, user=approver_user, declaration=True)
    with pytest.raises(PermissionDenied, match=Refused.EVIDENCE_FROZEN):
        evidence.evidence_delete(item=item, user=staff_user)
    with pytest.raises(FrozenAssessmentError):
        item.delete()
    assert list(Evidence.objects.all()) == [item] and default_storage.exists(item.file.name)


@pytest.mark.django_db
def test_removing_a_file_in_a_draft_removes_it_from_storage(
    editor, assessment, django_capture_on_commit_callbacks
):
    upload(editor, assessment, "survey.pdf", PDF)
    item = Evidence.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("assessments:evidence_remove", args=[assessment.reference, item.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not default_storage.exists(item.file.name)


@pytest.mark.django_db
def test_a_reassessment_links_to_the_same_stored_files(
    editor, filled, sign_off, staff_user, django_capture_on_commit_callbacks
):
    upload(editor, filled, "survey.pdf", PDF)
    old = sign_off(filled)
    new = lifecycle.assessment_reassess(assessment=old, user=staff_user)
    copied = Evidence.objects.get(assessment=new)
    original = Evidence.objects.get(assessment=old)
    assert (copied.file.name, copied.sha256, copied.file_name) == (
        original.file.name,
        original.sha256,
        "survey.pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        evidence.evidence_delete(item=copied, user=staff_user)
    assert default_storage.exists(original.file.name)  # the signed-off version still holds it


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://example.org/file", "not a web address"])
def test_a_link_must_be_a_web_address(editor, assessment, address):
    response = editor.post(
        page_url(assessment), {"intent": "link", "link-title": "Report", "link-url": address}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert URL_MESSAGE in page and 'value="Report"' in page
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_link_may_support_one_group_of_the_impact_grid(editor, assessment):
    group = version_characteristics(assessment.framework_version).first()
    response = editor.post(
        page_url(assessment),
        {
            "intent": "link",
            "link-title": "Census",
            "link-url": "www.ons.gov.uk",
            "link-characteristic": group.pk,
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert (item.url, item.characteristic) == ("https://www.ons.gov.uk", group)


@pytest.mark.django_db
def test_a_group_of_another_framework_version_is_refused(editor, assessment):
    draft = framework_version_copy(version=assessment.framework_version, label="next")
    foreign = Characteristic.objects.filter(version=draft).first()
    response = editor.post(
        page_url(assessment),
        {
            "intent": "link",
            "link-title": "Census",
            "link-url": "https://ons.gov.uk",
            "link-characteristic": foreign.pk,
        },
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_page_refuses_other_methods_and_anonymous_users(editor, assessment):
    assert editor.put(page_url(assessment)).status_code == 405
    assert Client().get(page_url(assessment)).status_code == 302


@pytest.mark.django_db
def test_a_person_s_data_lists_the_evidence_they_added(editor, assessment, staff_user):
    from assessments.receivers import personal_data

    upload(editor, assessment, "survey.pdf", PDF, **{"file-title": "Borough survey"})
    added = personal_data(sender=None, user=staff_user)["evidence_added"]
    assert [(item["assessment"], item["title"], item["file_name"]) for item in added] == [
        (assessment.reference, "Borough survey", "survey.pdf")
    ]


# Untidy content as people paste it: an address of 300 characters (a data portal's query) and a
# title in Tamil, one of the scripts London's communities write in.
LONG_ADDRESS = (
    "https://www.ons.gov.uk/peoplepopulationandcommunity/culturalidentity/ethnicity/datasets/"
    "ethnicgroupbyageandsexinenglandandwales?filter=ltla&areas="
)
LONG_ADDRESS += "E0900002" * ((300 - len(LONG_ADDRESS)) // 8)
LONG_ADDRESS += "x" * (300 - len(LONG_ADDRESS))
TAMIL_TITLE = "மனநல ஆதரவு சேவைகள் பற்றிய கணக்கெடுப்பு"
TAMIL_FILE_TITLE = "நியூஹாம் குடும்பங்களின் கருத்துகள்"


@pytest.mark.django_db
def test_a_long_address_and_a_tamil_title_reach_the_page_the_snapshot_and_the_pdf_whole(
    editor, filled, sign_off, tmp_path
):
    from reporting.tests.pdf_checks import squeezed, stored_pdf
    from thrive_edi.tests.html_tree import page_tree

    assert len(LONG_ADDRESS) == 300
    response = editor.post(
        page_url(filled), {"intent": "link", "link-title": TAMIL_TITLE, "link-url": LONG_ADDRESS}
    )
    assert response.status_code == 302
    upload(editor, filled, "survey.pdf", PDF, **{"file-title": TAMIL_FILE_TITLE})
    assert sorted(Evidence.objects.values_list("title", flat=True)) == sorted([TAMIL_TITLE, TAMIL_FILE_TITLE])
    assert Evidence.objects.get(kind=Evidence.Kind.LINK).url == LONG_ADDRESS

    for url in (page_url(filled), reverse("assessments:section", args=[filled.reference, "evidence"])):
        tree = page_tree(editor.get(url).content.decode())
        links = {
            a.text.replace(" (link)", ""): a.attrs["href"] for a in tree.find_all("a") if "href" in a.attrs
        }
        assert links[TAMIL_TITLE] == LONG_ADDRESS, url
        assert LONG_ADDRESS in tree.text and TAMIL_FILE_TITLE in tree.text, url

    signed = sign_off(filled)
    document = json.loads(signed.snapshot.document)
    assert {"kind": "link", "title": TAMIL_TITLE, "group": None, "url": LONG_ADDRESS} in document["evidence"]
    assert TAMIL_FILE_TITLE in [item["title"] for item in document["evidence"]]

    # In drawing order (-raw): read by columns, pdftotext puts a Tamil vowel sign drawn before
    # its consonant in a block of its own, though the page shows the word whole.
    path = tmp_path / "signed.pdf"
    path.write_bytes(stored_pdf(signed))
    read = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = squeezed(read.stdout.decode("utf-8"))
    assert squeezed(LONG_ADDRESS) in text  # wrapped across lines, never cut off
    assert squeezed(TAMIL_TITLE) in text
    assert squeezed(TAMIL_FILE_TITLE) in text
