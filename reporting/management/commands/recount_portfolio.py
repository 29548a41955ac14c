from django.core.management.base import BaseCommand, CommandError

from reporting.insight import ASSESSMENTS
from reporting.models import Portfolio
from reporting.portfolio import portfolio_differences, portfolio_recount

SHOWN_DIFFERENCES = 20


class Command(BaseCommand):
    help = (
        "Count the dashboard's figures over every signed-off assessment again and keep them. "
        "Needed only after assessments were written around the sign-off (bulk loads, repairs)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing: compare the kept counts with a fresh count, and fail if they differ.",
        )

    def handle(self, *args, check, **options):
        if check:
            differences = portfolio_differences()
            if differences:
                cells = sorted(differences.items(), key=lambda item: [str(part) for part in item[0]])
                lines = [
                    f"  {' / '.join(str(part) for part in cell)}: kept {kept}, counted {counted}"
                    for cell, (kept, counted) in cells[:SHOWN_DIFFERENCES]
                ]
                raise CommandError(
                    f"{len(differences)} kept counts differ from a fresh count "
                    "(run recount_portfolio to count again):\n" + "\n".join(lines)
                )
            counted_at = Portfolio.objects.values_list("counted_at", flat=True).first()
            self.stdout.write(
                self.style.SUCCESS(
                    f"The kept counts match a fresh count (last counted afresh: {counted_at or 'never'})."
                )
            )
            return
        counts = portfolio_recount()
        self.stdout.write(self.style.SUCCESS(f"Counted {counts.get(ASSESSMENTS, 0)} signed-off assessments."))
