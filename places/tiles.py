"""Where each local authority's square sits on the dashboard's map of London.

A grid of equal squares laid out like London's boroughs (after the "London squared" tile
maps): no boundary data, only a row and a column each. Keyed by GSS code, so admins may
rename an authority without moving it.
"""

# Each row of the grid, west to east, north to south; "." is an empty square.
GRID = """
.   .   .   .   010 .   .   .
.   015 003 014 031 .   .   .
017 009 005 007 019 012 026 016
018 013 020 033 001 030 025 002
.   027 032 022 028 023 011 004
.   .   021 024 008 006 .   .
.   .   .   029 .   .   .   .
"""

# Short names shown in the squares, where the whole name would not fit.
ABBREVIATIONS = {
    "E09000001": "City",
    "E09000002": "Bark",
    "E09000003": "Barn",
    "E09000004": "Bexl",
    "E09000005": "Bren",
    "E09000006": "Brom",
    "E09000007": "Camd",
    "E09000008": "Croy",
    "E09000009": "Eali",
    "E09000010": "Enfi",
    "E09000011": "Gwch",
    "E09000012": "Hack",
    "E09000013": "Hamm",
    "E09000014": "Hgey",
    "E09000015": "Harr",
    "E09000016": "Have",
    "E09000017": "Hill",
    "E09000018": "Houn",
    "E09000019": "Isli",
    "E09000020": "Kens",
    "E09000021": "King",
    "E09000022": "Lamb",
    "E09000023": "Lewi",
    "E09000024": "Mert",
    "E09000025": "Newh",
    "E09000026": "Redb",
    "E09000027": "Rich",
    "E09000028": "Sthw",
    "E09000029": "Sutt",
    "E09000030": "Towr",
    "E09000031": "Walt",
    "E09000032": "Wand",
    "E09000033": "West",
}


def tile_positions() -> dict[str, tuple[int, int]]:
    """``{GSS code: (row, column)}`` of every square, counted from 0 at the top left."""
    positions = {}
    for row, line in enumerate(GRID.strip().splitlines()):
        for column, cell in enumerate(line.split()):
            if cell != ".":
                positions[f"E09000{cell}"] = (row, column)
    return positions


def grid_size() -> tuple[int, int]:
    """(rows, columns) of the grid."""
    lines = GRID.strip().splitlines()
    return len(lines), max(len(line.split()) for line in lines)
