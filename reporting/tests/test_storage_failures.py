"""Writing a PDF to storage can fail (an unwritable directory, a full disk): the sign-off
still succeeds, the PDF ends failed with its error, nothing partial is left in storage, and
it is made once storage works again."""

import errno
import os
import stat

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from assessments.tests.factories import fill_assessment, make_assessment
from reporting.models import RenderedPdf
from reporting.services import PDF_NOT_MADE_MESSAGE

STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


class DiskFullStorage(FileSystemStorage):
    """A real directory on a disk that fills up halfway through writing the file."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.read()
        with open(path, "wb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", path)


def files_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
        "staticfiles": STATIC,
    }
    yield root
    root.chmod(stat.S_IRWXU)


def make_unwritable(root) -> None:
    """Read-only, and (for a superuser, whom permissions do not stop) the folder PDFs go in is
    taken by a file, so that the directory cannot be made."""
    (root / "assessments").write_text("not a folder")
    root.chmod(stat.S_IRUSR | stat.S_IXUSR)


def make_writable(root) -> None:
    root.chmod(stat.S_IRWXU)
    (root / "assessments").unlink()


@pytest.mark.django_db
def test_with_storage_unwritable_the_sign_off_succeeds_and_the_pdf_is_made_once_it_works_again(
    media, staff_user, board_user, sign_off, client
):
    make_unwritable(media)
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    assert assessment.status == Assessment.Status.SIGNED_OFF
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    assert rendered.status == RenderedPdf.Status.FAILED
    assert rendered.last_error.startswith(("FileExistsError", "NotADirectoryError", "PermissionError"))
    assert not rendered.file and rendered.sha256 == ""
    assert files_under(media) == ["assessments"]  # only the file that blocks the folder

    client.force_login(board_user)
    board_page = client.get(reverse("reporting:board_assessment", args=[assessment.reference]))
    assert PDF_NOT_MADE_MESSAGE in board_page.content.decode()
    assert client.get(reverse("reporting:assessment_pdf", args=[assessment.reference])).status_code == 503

    make_writable(media)
    call_command("render_pdfs")  # not due yet: nothing is tried
    assert RenderedPdf.objects.get(pk=rendered.pk).status == RenderedPdf.Status.FAILED
    RenderedPdf.objects.filter(pk=rendered.pk).update(next_attempt_at=rendered.last_attempt_at)  # time passes
    call_command("render_pdfs")
    rendered.refresh_from_db()
    assert rendered.status == RenderedPdf.Status.READY and rendered.attempts == 2
    assert files_under(media) == [rendered.file.name]
    response = client.get(reverse("reporting:assessment_pdf", args=[assessment.reference]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_a_disk_filling_up_mid_write_leaves_no_truncated_file(tmp_path, settings, staff_user, sign_off):
    settings.STORAGES = {
        "default": {"BACKEND": f"{__name__}.DiskFullStorage", "OPTIONS": {"location": str(tmp_path)}},
        "staticfiles": STATIC,
    }
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    assert rendered.status == RenderedPdf.Status.FAILED
    assert "No space left on device" in rendered.last_error
    assert files_under(tmp_path) == []


@pytest.mark.django_db
def test_a_stored_pdf_whose_file_has_gone_is_made_again_not_a_500(
    media, staff_user, sign_off, client, django_capture_on_commit_callbacks
):
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    rendered.file.storage.delete(rendered.file.name)
    client.force_login(staff_user)
    url = reverse("reporting:assessment_pdf", args=[assessment.reference])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    assert first.status_code in (200, 202)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    rendered.refresh_from_db()
    assert rendered.status == RenderedPdf.Status.READY and rendered.file_is_stored()
