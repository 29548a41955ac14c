from django.core.management.base import BaseCommand

from thrive_edi.personal_data import retention_apply

# Said of one thing removed.
ONE = {"failed sign-in records": "failed sign-in record", "audit log lines": "audit log line"}


class Command(BaseCommand):
    help = (
        "Remove personal data kept past its retention period: failed sign-in records, audit log "
        "lines in the database and community feedback contact details (RETENTION_*_DAYS). "
        "Run it daily from cron."
    )

    def handle(self, *args, **options):
        for item in retention_apply():
            what = item.what if item.count != 1 else ONE.get(item.what, item.what)
            older = f" older than {item.days} days" if item.days is not None else ""
            self.stdout.write(f"Removed {item.count} {what}{older}.")
