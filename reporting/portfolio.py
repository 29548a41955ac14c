"""The whole portfolio's dashboard counts, kept as assessments are signed off.

Counting every latest signed-off assessment on each view reads all their impact ratings,
principle alignments and participation entries, so the dashboard would slow down as the
archive grows. A signed-off assessment's content never changes, so the portfolio's counts
change only at a sign-off: the assessment's counts are added and those of the version it
supersedes taken away, in the sign-off's own transaction. The unfiltered dashboard reads them
in one query; a filtered one counts its assessments afresh.

What is written around the sign-off (bulk seeding, a repair by hand) is counted again with
``manage.py recount_portfolio``; ``--check`` compares the kept counts with a fresh count.
"""

from collections import Counter

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment
from frameworks.models import Characteristic, Principle
from reporting.filters import framework_items
from reporting.insight import ASSESSMENTS, Counts, count_portfolio, latest_signed_off
from reporting.models import Portfolio, PortfolioCount

# How the row of no value (assessments without participation) is kept: no key looks like it.
_NO_ROW = "(none)"
PORTFOLIO = 1  # the primary key of the one Portfolio row


def _stored(row: str | None) -> str:
    return _NO_ROW if row is None else row


def _read(row: str) -> str | None:
    return None if row == _NO_ROW else row


def _counter():
    """Counts assessments with the framework's items read once, however many sets it counts."""
    items = {"characteristics": framework_items(Characteristic), "principles": framework_items(Principle)}
    return lambda assessments: count_portfolio(assessments, **items)


def kept_counts() -> Counts | None:
    """The kept counts of the whole portfolio, in one query; None until it has been counted."""
    rows = list(PortfolioCount.objects.values_list("figure", "row", "column", "count"))
    if not any((figure, row, column) == ASSESSMENTS for figure, row, column, _ in rows):
        return None
    return {(figure, _read(row), column): n for figure, row, column, n in rows if n}


def _lock() -> Portfolio:
    """Hold the portfolio's row until the transaction ends: one writer of the counts at a time.

    The migration makes the row; a flushed database gets it back here.
    """
    portfolio = Portfolio.objects.select_for_update().filter(pk=PORTFOLIO).first()
    if portfolio is None:
        Portfolio.objects.get_or_create(pk=PORTFOLIO)
        portfolio = Portfolio.objects.select_for_update().get(pk=PORTFOLIO)
    return portfolio


def _is_counted() -> bool:
    figure, row, column = ASSESSMENTS
    return PortfolioCount.objects.filter(figure=figure, row=row, column=column).exists()


@transaction.atomic
def portfolio_add(*, assessment: Assessment, superseded: Assessment | None = None) -> bool:
    """Add a newly signed-off assessment's counts, less those of the version it supersedes.

    Returns False, changing nothing, when the portfolio has never been counted: its first
    count (``portfolio_recount``) will include this assessment, as it waits for this lock.
    """
    _lock()
    if not _is_counted():
        return False
    count = _counter()
    change = Counter(count(Assessment.objects.filter(pk=assessment.pk)))
    if superseded is not None:
        change.subtract(count(Assessment.objects.filter(pk=superseded.pk)))
    kept = {(cell.figure, cell.row, cell.column): cell for cell in PortfolioCount.objects.all()}
    changed, added = [], []
    for (figure, row, column), n in change.items():
        if not n:
            continue
        cell = kept.get((figure, _stored(row), column))
        if cell is None:
            added.append(PortfolioCount(figure=figure, row=_stored(row), column=column, count=n))
        else:
            cell.count += n
            changed.append(cell)
    PortfolioCount.objects.bulk_update(changed, ["count"])
    PortfolioCount.objects.bulk_create(added)
    return True


def count_whole_portfolio() -> Counts:
    """The whole portfolio counted afresh, as ``kept_counts`` gives it."""
    return {cell: n for cell, n in _counter()(latest_signed_off()).items() if n}


@transaction.atomic
def portfolio_recount() -> Counts:
    """Count the whole portfolio afresh and keep the counts; returns them."""
    portfolio = _lock()
    counts = _counter()(latest_signed_off())
    PortfolioCount.objects.all().delete()
    figure, row, column = ASSESSMENTS
    PortfolioCount.objects.bulk_create(
        [
            PortfolioCount(figure=figure, row=row, column=column, count=counts.get(ASSESSMENTS, 0)),
            *(
                PortfolioCount(figure=cell[0], row=_stored(cell[1]), column=cell[2], count=n)
                for cell, n in counts.items()
                if cell != ASSESSMENTS
            ),
        ]
    )
    portfolio.counted_at = timezone.now()
    portfolio.save(update_fields=["counted_at"])
    return counts


def portfolio_count_once() -> bool:
    """Count the portfolio if it never has been; True if it was counted now."""
    with transaction.atomic():
        _lock()
        if _is_counted():
            return False
        portfolio_recount()
    return True


@transaction.atomic
def portfolio_differences() -> dict[tuple, tuple[int, int]]:
    """``{cell: (kept, counted afresh)}`` of every cell where the two differ.

    Sign-offs wait meanwhile, so that one committing half-way is not taken for a difference.
    """
    _lock()
    kept = kept_counts() or {}
    counted = _counter()(latest_signed_off())
    return {
        cell: (kept.get(cell, 0), counted.get(cell, 0))
        for cell in kept.keys() | counted.keys()
        if kept.get(cell, 0) != counted.get(cell, 0)
    }
