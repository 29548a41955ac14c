from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from thrive_edi.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database named by DATABASE_URL "
        "(created if missing; it must be empty) and into MEDIA_ROOT (it must be empty), after "
        "checking each file against the manifest; then check every record with verify_records."
    )
    # The database may not exist yet: nothing may touch it before the command does.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the directory `manage.py backup` wrote")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = restore(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['made_at']} ({manifest['media_files']} stored files)."
        )
        call_command("verify_records", stdout=self.stdout, stderr=self.stderr)
