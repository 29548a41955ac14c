from django.core.management.base import BaseCommand

from thrive_edi.notices import digests_send


class Command(BaseCommand):
    help = (
        "Send each person who chose a daily summary one email with every notification kept for "
        "them since their last one. Run it once a day from cron; a second run sends nothing twice."
    )

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"Sent {sent} daily summar{'y' if sent == 1 else 'ies'}.")
