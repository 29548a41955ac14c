from django.core.management.base import BaseCommand, CommandError

from reporting.verification import records_verify


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Check every signed-off record and outcome review against its fingerprint, and every "
        "stored PDF, board pack and evidence file against its own SHA-256. Run it after restoring a backup. "
        "Fails, listing each record, if any does not match."
    )

    def handle(self, *args, **options):
        check = records_verify()
        summary = (
            f"Checked {_count(check.snapshots, 'signed-off record')}, {_count(check.pdfs, 'PDF')}, "
            f"{_count(check.packs, 'board pack')}, {_count(check.outcome_reviews, 'outcome review')} "
            f"and {_count(check.evidence_files, 'evidence file')}"
        )
        if check.mismatches:
            listing = "\n".join(f"  {mismatch}" for mismatch in check.mismatches)
            raise CommandError(f"{summary}: {_count(len(check.mismatches), 'mismatch')}.\n{listing}")
        self.stdout.write(f"{summary}: all match.")
