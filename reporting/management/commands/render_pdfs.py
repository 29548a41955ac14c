from django.core.management.base import BaseCommand

from reporting.services import pdfs_render_due


class Command(BaseCommand):
    help = (
        "Make the PDFs whose next attempt is due (failed ones are tried again after 5 minutes, "
        "30 minutes, 2 hours and 8 hours) and those of signed-off records that have none. "
        "Run it every 5 minutes from cron."
    )

    def handle(self, *args, **options):
        made, failed = pdfs_render_due()
        self.stdout.write(f"Made {made} PDF{'s' if made != 1 else ''}; {failed} failed.")
