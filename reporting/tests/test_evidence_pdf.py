"""The signed PDF lists the evidence in an appendix: each file by name, size and SHA-256, each
link by its address; the document stays tagged. ``verify_records`` checks each file."""

import hashlib
import io
import itertools
import re
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from assessments import evidence
from assessments.models import Evidence
from assessments.tests.factories import fill_assessment, make_assessment
from reporting import pdf
from reporting.tests.pdf_checks import extracted_text, squeezed, stored_pdf
from reporting.verification import records_verify

SURVEY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def signed_with_evidence(settings, tmp_path, staff_user, sign_off):
    settings.MEDIA_ROOT = tmp_path / "media"
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    evidence.evidence_file_add(
        assessment=assessment,
        user=staff_user,
        upload=SimpleUploadedFile("borough-survey.pdf", SURVEY),
        title="Borough survey 2025",
    )
    evidence.evidence_link_add(
        assessment=assessment,
        user=staff_user,
        title="Census 2021 ethnic groups",
        url="https://www.ons.gov.uk/census",
    )
    return sign_off(assessment)


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is missing")
def test_the_appendix_lists_each_file_with_its_sha256_and_each_link(signed_with_evidence, tmp_path):
    text = squeezed(extracted_text(stored_pdf(signed_with_evidence), tmp_path))
    assert squeezed("Appendix: evidence") in text
    assert squeezed("Borough survey 2025") in text and "borough-survey.pdf" in text
    assert hashlib.sha256(SURVEY).hexdigest() in text
    assert squeezed(f"borough-survey.pdf, {len(SURVEY)} bytes") in text
    assert squeezed(f"{len(SURVEY)} bytes ({len(SURVEY)} bytes)") not in text  # said once
    assert squeezed("Census 2021 ethnic groups") in text and "https://www.ons.gov.uk/census" in text


@pytest.mark.django_db
def test_the_pdf_with_an_appendix_is_still_tagged_and_its_headings_in_order(signed_with_evidence):
    reader = PdfReader(io.BytesIO(stored_pdf(signed_with_evidence)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    snapshot = signed_with_evidence.snapshot
    html = pdf.assessment_html(snapshot.document, snapshot.sha256)
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))
    assert 'scope="row"' in html.split("Appendix: evidence", 1)[1]


@pytest.mark.django_db
def test_verify_records_checks_each_evidence_file_against_its_sha256(signed_with_evidence):
    assert records_verify().evidence_files == 1 and records_verify().mismatches == []
    item = Evidence.objects.get(kind=Evidence.Kind.FILE)
    default_storage.delete(item.file.name)
    assert default_storage.save(item.file.name, ContentFile(SURVEY + b"changed")) == item.file.name
    check = records_verify()
    assert len(check.mismatches) == 1
    assert check.mismatches[0].startswith(
        f"Evidence “Borough survey 2025” of {signed_with_evidence.reference}"
    )


def test_a_rounded_size_gives_its_exact_number_of_bytes_too():
    from reporting.pdf import _size

    assert _size(2_500_000) == "2.4 MB (2500000 bytes)"
    assert _size(77) == "77 bytes"
