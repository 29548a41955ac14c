"""Backups of the whole service: the PostgreSQL database (pg_dump's custom format), the stored
files under MEDIA_ROOT (a tar), and a manifest with the SHA-256 of each.

``manage.py backup DIR`` writes them; ``manage.py restore DIR`` checks them against the
manifest, creates the database named by DATABASE_URL if it is missing, restores into it (it
must be empty) and the files into MEDIA_ROOT (it must be empty too), then runs
``verify_records``. The database is dumped before the files are packed, so every file the
dump names is in the tar: a file stored in between is only an extra, unnamed file.
"""

import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """What went wrong, in words for the person running the command."""


@dataclass(frozen=True)
class Target:
    """A PostgreSQL database as the client programs (pg_dump, pg_restore, psql) reach it."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def of_settings(cls) -> "Target":
        database = settings.DATABASES["default"]
        if not database["ENGINE"].endswith("postgresql"):
            raise BackupError(
                "Backups and restores are made of a PostgreSQL database; DATABASE_URL names another "
                "(SQLite: copy its file while the app is stopped)."
            )
        return cls(
            name=database["NAME"],
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
        )

    def arguments(self) -> list[str]:
        given = [("--host", self.host), ("--port", self.port), ("--username", self.user)]
        return [f"{option}={value}" for option, value in given if value]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **({"PGPASSWORD": self.password} if self.password else {})}

    def run(self, program: str, *argv: str, database: str | None = None) -> str:
        command = [program, *self.arguments(), *argv]
        if database is not None:
            command += ["--dbname", database]
        try:
            done = subprocess.run(command, env=self.environment(), capture_output=True, text=True)  # noqa: S603
        except FileNotFoundError:
            raise BackupError(f"{program} is not installed (apt-get install postgresql-client).") from None
        if done.returncode != 0:
            raise BackupError(f"{program} failed: {done.stderr.strip()[-2000:]}")
        return done.stdout


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup_make(directory: Path) -> dict:
    """Write the database, the stored files and the manifest into ``directory`` (new or empty)."""
    target = Target.of_settings()
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new directory for each backup.")
    directory.mkdir(parents=True, exist_ok=True)
    target.run("pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={directory / DATABASE_FILE}",
               database=target.name)  # fmt: skip
    media, files = _media_root(), 0
    with tarfile.open(directory / MEDIA_FILE, "w:gz") as archive:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)), recursive=False)
                    files += 1
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "database": target.name,
        "media_root": str(media),
        "media_files": files,
        "files": {name: sha256_of(directory / name) for name in (DATABASE_FILE, MEDIA_FILE)},
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def backup_check(directory: Path) -> dict:
    """The backup's manifest, once every file it names matches its SHA-256."""
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory} holds no readable {MANIFEST_FILE}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{directory} is a backup of another format ({manifest.get('format')!r}).")
    for name, sha256 in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise BackupError(f"{path} is missing.")
        if sha256_of(path) != sha256:
            raise BackupError(f"{path} does not match the SHA-256 in the manifest: it is damaged.")
    return manifest


def _database_create_if_missing(target: Target) -> None:
    import psycopg2
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres",
        user=target.user or None,
        password=target.password or None,
        host=target.host or None,
        port=target.port or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target.name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target.name)))
    finally:
        server.close()


def _database_is_empty() -> bool:
    connection.close()  # it may have been opened before the database existed
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(directory: Path) -> dict:
    """Restore a backup into the database of DATABASE_URL and into MEDIA_ROOT, both empty."""
    manifest = backup_check(directory)
    target = Target.of_settings()
    media = _media_root()
    if media.is_dir() and any(media.iterdir()):
        raise BackupError(f"MEDIA_ROOT ({media}) is not empty: restore into an empty directory.")
    _database_create_if_missing(target)
    if not _database_is_empty():
        raise BackupError(f"The database {target.name} is not empty: restore into a new database.")
    target.run("pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
               str(directory / DATABASE_FILE), database=target.name)  # fmt: skip
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA_FILE, "r:gz") as archive:
        archive.extractall(media, filter="data")  # refuses absolute paths, "..", links out
    connection.close()
    return manifest
