"""How dates read in the project's own words (pages, emails, PDFs): the UK style, month in full.

Formatted with Django's ``date_format``, so that the day has no leading zero on every platform.
"""

from django.utils.formats import date_format

DAY = "j F Y"  # 1 December 2026
MOMENT = "j F Y, H:i"  # 1 December 2026, 14:05
TIME_ON_DAY = r"H:i \o\n j F Y"  # 14:05 on 1 December 2026


def day_text(value) -> str:
    """A date (or the day of a datetime, as given) as people read it: ``1 December 2026``."""
    return date_format(value, DAY)
