from django.core.management.base import BaseCommand

from assessments.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Email reminders of reviews due within 30 days or overdue, and of actions due within 7 days "
        "or overdue, and of outcome reviews that have become due. Safe to run every hour: a reminder "
        "is never sent twice."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
