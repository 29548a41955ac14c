"""A PDF is rendered once when several workers ask for it at the same moment."""

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from assessments.tests.factories import fill_assessment, make_assessment
from reporting import pdf, services
from reporting.models import RenderedPdf

RACERS = 4


@pytest.fixture
def counted_renders(monkeypatch):
    """The real renderer, counting how often it runs."""
    calls, original, guard = [], pdf.render_assessment_pdf, threading.Lock()

    def render(*args, **kwargs):
        with guard:
            calls.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_assessment_pdf", render)
    return calls


@pytest.fixture
def waiting_pdf(staff_user, sign_off, monkeypatch):
    """A signed-off assessment whose PDF is asked for but not yet made (its task still queued)."""
    with monkeypatch.context() as queue_kept:
        queue_kept.setattr(services, "_enqueue_render", lambda snapshot_id: None)
        assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    assert RenderedPdf.objects.get(snapshot=assessment.snapshot).status == RenderedPdf.Status.PENDING
    return assessment


def stored_pdfs() -> set[str]:
    try:
        return set(default_storage.listdir("assessments")[1])
    except FileNotFoundError:  # nothing stored yet
        return set()


def race(snapshot_id: int) -> list[BaseException]:
    """RACERS threads, each with its own database connection, call pdf_render together."""
    start, errors = threading.Barrier(RACERS), []

    def racer():
        try:
            start.wait(timeout=10)
            services.pdf_render(snapshot_id=snapshot_id)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the lock between processes is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_pdf_render_and_store_it_once(waiting_pdf, counted_renders):
    snapshot = waiting_pdf.snapshot
    stored_before = stored_pdfs()
    assert race(snapshot.pk) == []
    assert len(counted_renders) == 1
    rendered = RenderedPdf.objects.get(snapshot=snapshot)
    assert rendered.status == RenderedPdf.Status.READY
    assert rendered.attempts == 1
    stored = stored_pdfs() - stored_before
    assert stored == {rendered.file.name.removeprefix("assessments/")}
    with default_storage.open(rendered.file.name) as handle:
        assert pdf.file_sha256(handle.read()) == rendered.sha256
    # Asked again once it is made: nothing is rendered.
    assert race(snapshot.pk) == []
    assert len(counted_renders) == 1


@pytest.mark.django_db
def test_a_pdf_asked_for_again_after_it_was_made_is_not_rendered_again(waiting_pdf, counted_renders):
    services.pdf_render(snapshot_id=waiting_pdf.snapshot.pk)
    services.pdf_render(snapshot_id=waiting_pdf.snapshot.pk)
    assert len(counted_renders) == 1
    assert RenderedPdf.objects.get(snapshot=waiting_pdf.snapshot).attempts == 1
