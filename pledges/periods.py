"""The periods a Pledge progress report covers: financial years, 1 April to 31 March."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

FIRST_MONTH = 4  # April


@dataclass(frozen=True)
class FinancialYear:
    year: int  # the calendar year it starts in

    @classmethod
    def of(cls, day: datetime.date) -> FinancialYear:
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @classmethod
    def current(cls) -> FinancialYear:
        return cls.of(timezone.localdate())

    @property
    def label(self) -> str:
        """``2026/27``"""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, FIRST_MONTH, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year + 1, FIRST_MONTH, 1) - datetime.timedelta(days=1)

    @property
    def starts(self) -> datetime.datetime:
        """The first moment of the year, in the service's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time.min))

    @property
    def ends(self) -> datetime.datetime:
        """The first moment after the year (an open upper bound)."""
        return timezone.make_aware(datetime.datetime(self.year + 1, FIRST_MONTH, 1))

    def __str__(self) -> str:
        return self.label
