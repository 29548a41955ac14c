"""Reads of London's places that other apps share: the local authorities by Integrated Care
System, and those names as a process keeps them for pages read all day."""

import time
from dataclasses import dataclass

from places.models import LocalAuthority


@dataclass(frozen=True)
class PlaceGroup:
    """An Integrated Care System and its local authorities, in name order."""

    name: str
    authorities: list[LocalAuthority]


def place_groups() -> list[PlaceGroup]:
    """Every local authority under its Integrated Care System, in one query."""
    groups: dict[int, PlaceGroup] = {}
    authorities = LocalAuthority.objects.select_related("ics").order_by("ics__order", "ics__name", "name")
    for authority in authorities:
        group = groups.setdefault(authority.ics_id, PlaceGroup(authority.ics.name, []))
        group.authorities.append(authority)
    return list(groups.values())


NAMES_KEPT_FOR = 60  # seconds a process keeps the names it read (``known_place_groups``)
_known: dict = {}


def known_place_groups() -> list[PlaceGroup]:
    """``place_groups()`` as this process last read them, at most a minute ago.

    Filters and the dashboard's map name places on pages read all day; the names change
    rarely (an admin's rename reaches every process within a minute, this one at once).
    Saving anything to be linked reads ``place_groups()`` afresh."""
    now = time.monotonic()
    if _known.get("until", 0) < now:
        _known.update(groups=place_groups(), until=now + NAMES_KEPT_FOR)
    return _known["groups"]


def forget_known_place_groups(**kwargs) -> None:
    _known.clear()
