"""A backup restores into a new database with every record, PDF and figure as it was.

The whole path runs for real: signed-off assessments with their PDFs on disk, `manage.py
backup` (pg_dump and a tar of MEDIA_ROOT), the database dropped and the files gone, `manage.py
restore` into a new database and an empty MEDIA_ROOT, then the restored app, in a process of
its own, verifies every record and serves the dashboard and each PDF.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from assessments.tests.factories import fill_assessment, make_assessment
from reporting.models import PortfolioCount, RenderedPdf
from thrive_edi.roles import Role
from thrive_edi.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
SIGNED_OFF = 3

# Run inside the restored app: what a reader sees, and what the record holds.
READ_BACK = """
import hashlib, json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from assessments.models import Snapshot
from reporting.models import PortfolioCount, RenderedPdf

client = Client()
client.force_login(get_user_model().objects.get(username="board-reader"))
dashboard = client.get(reverse("reporting:dashboard"))
pdfs = {}
for rendered in RenderedPdf.objects.select_related("snapshot__assessment"):
    reference = rendered.snapshot.assessment.reference
    served = client.get(reverse("reporting:assessment_pdf", args=[reference]))
    body = b"".join(served.streaming_content) if served.streaming else served.content
    pdfs[reference] = [served.status_code, hashlib.sha256(body).hexdigest()]
print(json.dumps({
    "dashboard": dashboard.status_code,
    "fingerprints": {s.assessment.reference: s.sha256 for s in Snapshot.objects.select_related("assessment")},
    "pdf_fingerprints": {r.snapshot.assessment.reference: r.sha256 for r in RenderedPdf.objects.all()},
    "served_pdfs": pdfs,
    "kept_counts": sorted([c.figure, c.row, c.column, c.count] for c in PortfolioCount.objects.all()),
}))
"""


def admin_sql(sql: str) -> None:
    """A statement on the server's maintenance database (CREATE or DROP DATABASE)."""
    database = connection.settings_dict
    command = ["psql", "--quiet", f"--host={database['HOST']}", f"--port={database['PORT'] or 5432}",
               f"--username={database['USER']}", "--dbname=postgres", f"--command={sql}"]  # fmt: skip
    subprocess.run(
        command, check=True, capture_output=True, env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""}
    )


def database_copy(tested: str, copy: str) -> None:
    """A copy of the test database, made with pg_dump and pg_restore: unlike CREATE DATABASE with
    a template, it works while other connections (a live server's, say) are open on it."""
    database = connection.settings_dict
    port = database["PORT"] or 5432
    server = [f"--host={database['HOST']}", f"--port={port}", f"--username={database['USER']}"]
    env = {**os.environ, "PGPASSWORD": database["PASSWORD"] or ""}
    admin_sql(f'CREATE DATABASE "{copy}"')
    dump = subprocess.run(
        ["pg_dump", *server, "--format=custom", f"--dbname={tested}"],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        ["pg_restore", *server, "--no-owner", f"--dbname={copy}"],
        input=dump.stdout,
        check=True,
        capture_output=True,
        env=env,
    )


def manage(env: dict, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def app_environment(database: str, media: Path) -> dict:
    server = connection.settings_dict
    url = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT'] or 5432}/{database}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thrive_edi.settings",
        "SECRET_KEY": "backup-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": url,
        "PGPASSWORD": server["PASSWORD"] or "",
        "MEDIA_ROOT": str(media),
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backups are of PostgreSQL (pg_dump and pg_restore); SQLite's is a copy of its file",
)
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_every_fingerprint_and_figure(
    settings, tmp_path, staff_user, sign_off
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    for number in range(SIGNED_OFF):
        sign_off(
            fill_assessment(make_assessment(staff_user, title=f"Peer support {number}"), user=staff_user)
        )
    UserFactory(username="board-reader", role=Role.BOARD)
    ready = RenderedPdf.objects.filter(status=RenderedPdf.Status.READY)
    assert ready.count() == SIGNED_OFF and all((media / r.file.name).is_file() for r in ready)
    kept = sorted([c.figure, c.row, c.column, c.count] for c in PortfolioCount.objects.all())
    assert kept

    # A database of its own to back up and drop: a copy of the test database as it is now.
    tested = connection.settings_dict["NAME"]
    source, restored = f"{tested}_backup_source", f"{tested}_restored"
    connection.close()
    for name in (source, restored):
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    database_copy(tested, source)
    original = manage(app_environment(source, media), "shell", "-c", READ_BACK)
    assert original.returncode == 0, original.stderr
    before = json.loads(original.stdout.strip().splitlines()[-1])
    assert len(before["fingerprints"]) == SIGNED_OFF and before["kept_counts"] == kept

    backup = tmp_path / "backup"
    made = manage(app_environment(source, media), "backup", str(backup))
    assert made.returncode == 0, made.stderr
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    admin_sql(f'DROP DATABASE "{source}" WITH (FORCE)')

    new_media = tmp_path / "restored-media"
    try:
        done = manage(app_environment(restored, new_media), "restore", str(backup))
        assert done.returncode == 0, done.stderr
        assert f"Checked {SIGNED_OFF} signed-off records, {SIGNED_OFF} PDFs" in done.stdout
        assert "all match" in done.stdout
        verified = manage(app_environment(restored, new_media), "verify_records")
        assert verified.returncode == 0 and "all match" in verified.stdout, verified.stderr
        served = manage(app_environment(restored, new_media), "shell", "-c", READ_BACK)
        assert served.returncode == 0, served.stderr
        after = json.loads(served.stdout.strip().splitlines()[-1])
        assert after["dashboard"] == 200
        assert after == before
        assert all(status == 200 for status, _ in after["served_pdfs"].values())
        assert {ref: sha for ref, (_, sha) in after["served_pdfs"].items()} == after["pdf_fingerprints"]
        # Restoring again over what is there is refused, saying why.
        again = manage(app_environment(restored, tmp_path / "other-media"), "restore", str(backup))
        assert again.returncode != 0 and "is not empty: restore into a new database" in again.stderr
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="backups are of PostgreSQL")
@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("backup", str(tmp_path / "backup"))
    with open(tmp_path / "backup" / "media.tar.gz", "ab") as archive:
        archive.write(b"damage")
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="does not match the SHA-256 in the manifest"):
        call_command("restore", str(tmp_path / "backup"))
    assert not (tmp_path / "restored-media").exists()


@pytest.mark.django_db
def test_a_backup_of_sqlite_is_refused_with_what_to_do_instead(tmp_path, settings):
    from django.core.management import CommandError, call_command

    settings.DATABASES = {
        **settings.DATABASES,
        "default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.sqlite3"},
    }
    with pytest.raises(CommandError, match="copy its file"):
        call_command("backup", str(tmp_path / "backup"))
