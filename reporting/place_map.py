"""The dashboard's map of London: a grid of equal squares laid out like its boroughs.

Each square is a local authority (``places.tiles`` says where it sits), shaded by how many
signed-off assessments record it and showing that number, so the map reads without colour; a
table beside it gives the same numbers. London-wide assessments take place in every borough:
they are counted once, beside the map, not added to every square.
"""

from dataclasses import dataclass

from assessments.places import PlaceGroup, known_place_groups
from places.london import LONDON_WIDE
from places.tiles import ABBREVIATIONS, tile_positions

MAP_TITLE = "Signed-off assessments by local authority"


@dataclass(frozen=True)
class Tile:
    gss_code: str
    name: str
    ics: str
    abbreviation: str
    row: int
    column: int
    count: int


@dataclass(frozen=True)
class PlaceMap:
    tiles: list[Tile]  # in name order, as the table lists them
    london_wide: int

    @property
    def maximum(self) -> int:
        return max((tile.count for tile in self.tiles), default=0)


def place_map(counts: dict[str, int], groups: list[PlaceGroup] | None = None) -> PlaceMap:
    """The map of ``counts`` (``{GSS code or "london": assessments}``); ``groups``:
    ``place_groups()`` when the page has read them already (one query otherwise)."""
    positions = tile_positions()
    groups = known_place_groups() if groups is None else groups
    tiles = [
        Tile(
            authority.gss_code,
            authority.name,
            group.name,
            ABBREVIATIONS.get(authority.gss_code, authority.name[:4]),
            *positions.get(authority.gss_code, (None, None)),
            counts.get(authority.gss_code, 0),
        )
        for group in groups
        for authority in group.authorities
    ]
    tiles.sort(key=lambda tile: tile.name)
    return PlaceMap(tiles, counts.get(LONDON_WIDE, 0))
