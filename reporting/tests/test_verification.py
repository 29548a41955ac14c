import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reporting.forms import NOT_A_PDF_MESSAGE, TOO_BIG_MESSAGE, VERIFY_MAX_BYTES
from reporting.models import RenderedPdf

URL = reverse("reporting:verify")


def stored(assessment) -> bytes:
    with RenderedPdf.objects.get(snapshot=assessment.snapshot).file.open("rb") as handle:
        return handle.read()


def upload(client, data: bytes, name="assessment.pdf"):
    return client.post(URL, {"document": SimpleUploadedFile(name, data, content_type="application/pdf")})


@pytest.mark.django_db
def test_anyone_with_the_link_can_open_the_verification_page(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Check a signed-off assessment" in response.content.decode()


@pytest.mark.django_db
def test_the_stored_pdf_matches_its_assessment(client, signed_off):
    page = upload(client, stored(signed_off)).content.decode()
    assert "It matches" in page
    assert signed_off.reference in page


@pytest.mark.django_db
def test_a_pdf_changed_by_one_byte_does_not_match(client, signed_off):
    data = bytearray(stored(signed_off))
    data[len(data) // 2] ^= 0x01
    page = upload(client, bytes(data)).content.decode()
    assert "It does not match any signed-off assessment" in page
    assert signed_off.reference not in page


@pytest.mark.django_db
def test_the_cover_fingerprint_typed_in_matches(client, signed_off):
    fingerprint = signed_off.snapshot.sha256.upper()
    page = client.post(URL, {"fingerprint": f" {fingerprint[:32]} {fingerprint[32:]} "}).content.decode()
    assert "It matches" in page and signed_off.reference in page


@pytest.mark.django_db
def test_a_file_that_is_not_a_pdf_is_refused_with_a_clear_message(client):
    response = upload(client, b"<html>not a pdf</html>", name="page.pdf")
    assert NOT_A_PDF_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_read(client):
    response = upload(client, b"%PDF-" + b"0" * (VERIFY_MAX_BYTES + 100 * 1024))
    assert response.status_code == 413
    assert TOO_BIG_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_a_malformed_fingerprint_and_an_empty_form_get_clear_messages(client):
    assert "A fingerprint is 64 characters" in client.post(URL, {"fingerprint": "abc"}).content.decode()
    assert "Choose a PDF file or enter a fingerprint" in client.post(URL, {}).content.decode()


@pytest.mark.django_db
def test_verification_requests_from_one_address_are_limited_politely(client, settings):
    from thrive_edi.throttling import RATE_LIMITED_TITLE

    assert settings.RATE_LIMITS["verify"] == "10/5m"
    for _ in range(10):
        response = client.post(
            reverse("reporting:verify"), {"fingerprint": "0" * 64}, REMOTE_ADDR="198.51.100.1"
        )
        assert response.status_code == 200
    refused = client.post(reverse("reporting:verify"), {"fingerprint": "0" * 64}, REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    assert RATE_LIMITED_TITLE in refused.content.decode()
    assert client.get(reverse("reporting:verify"), REMOTE_ADDR="198.51.100.1").status_code == 200
    other = client.post(reverse("reporting:verify"), {"fingerprint": "0" * 64}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 200
