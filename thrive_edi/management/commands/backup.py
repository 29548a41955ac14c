from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from thrive_edi.backups import MANIFEST_FILE, BackupError, backup_make


class Command(BaseCommand):
    help = (
        "Back up the service into a new directory: the PostgreSQL database (pg_dump, custom "
        "format), the stored files of MEDIA_ROOT (a tar) and a manifest with their SHA-256. "
        "Safe while the app runs. Restore with `manage.py restore DIR`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new (or empty) directory for this backup")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup_make(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the database {manifest['database']} and {manifest['media_files']} stored "
            f"files into {directory} (see {MANIFEST_FILE})."
        )
