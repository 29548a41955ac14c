"""Charts drawn on the server as inline SVG: no JavaScript, and no style attributes (CSP).

Colours are SVG presentation attributes. Colour never carries meaning alone: every heatmap
cell and every bar shows its number, and each chart sits above a table of the same numbers.
Each chart is one image to assistive technology (``role="img"``), named by its title and
described by a paragraph of the page (``described_by``: that paragraph's id).
"""

import textwrap

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from places.tiles import grid_size
from reporting.insight import Tally
from reporting.place_map import MAP_TITLE, PlaceMap

FONT_FAMILY = "arial, sans-serif"
FONT_SIZE = 14
TEXT_COLOUR = "#0b0c0c"
MUTED_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
BAR_COLOUR = "#4a2b73"

# Heatmap fills from empty to fullest, each with a text colour that keeps 4.5:1 contrast.
HEAT_STEPS = (
    ("#ffffff", TEXT_COLOUR),
    ("#ede7f4", TEXT_COLOUR),
    ("#d3c4e6", TEXT_COLOUR),
    ("#ae96d1", TEXT_COLOUR),
    ("#6f4f9e", "#ffffff"),
    ("#4a2b73", "#ffffff"),
)

CHAR_WIDTH = 7.5  # a generous average advance of 14px Arial, for laying out labels
HEATMAP_LABEL_CHARS = 28
BAR_LABEL_CHARS = 40
LABEL_MAX_LINES = 2
HEADER_WRAP_CHARS = 13
HEADER_MAX_LINES = 3
LINE_HEIGHT = 17
CELL_WIDTH = 96
CELL_HEIGHT = 40
BAR_AREA = 400
BAR_HEIGHT = 22
BAR_ROW = 40
GAP = 10
TILE = 68
TILE_GAP = 4


def shorten(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters; the table below the chart gives it in full."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Lines of at most ``width`` characters; what does not fit in ``max_lines`` is cut."""
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], shorten(" ".join(lines[max_lines - 1 :]), width)]
    return lines


def heat_step(count: int, maximum: int) -> tuple[str, str]:
    """(fill, text colour) of a heatmap cell: empty cells white, the fullest the darkest."""
    if count <= 0 or maximum <= 0:
        return HEAT_STEPS[0]
    steps = len(HEAT_STEPS) - 1
    return HEAT_STEPS[max(1, -(-count * steps // maximum))]


def _label_width(labels: list[str], chars: int) -> int:
    lines = [line for label in labels for line in wrap(label, chars, LABEL_MAX_LINES)]
    return int(max(map(len, lines), default=0) * CHAR_WIDTH) + 2 * GAP


def _tspans(lines: list[str], x: float, first_y: float) -> SafeString:
    return format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((x, first_y + index * LINE_HEIGHT, line) for index, line in enumerate(lines)),
    )


def _svg(chart_id: str, title: str, described_by: str, width: int, height: int, body: list) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="thrive-chart" id="{id}" role="img" '
        'aria-labelledby="{id}-title" aria-describedby="{described_by}" focusable="false" '
        'width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{font}" font-size="{size}" '
        'fill="{colour}"><title id="{id}-title">{title}</title>{body}</svg>',
        id=chart_id,
        w=width,
        h=height,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        colour=TEXT_COLOUR,
        title=title,
        described_by=described_by,
        body=format_html_join("", "{}", ((part,) for part in body)),
    )


def _column_header(x: float, label: str) -> SafeString:
    """A column's label, wrapped, sitting on the top of the grid."""
    lines = wrap(label, HEADER_WRAP_CHARS, HEADER_MAX_LINES)
    top = (HEADER_MAX_LINES - len(lines)) * LINE_HEIGHT + LINE_HEIGHT - 4
    return format_html(
        '<text class="thrive-chart__header" text-anchor="middle" font-weight="bold">{}</text>',
        _tspans(lines, x, top),
    )


def _row_label(x: int, middle: float, label: str, chars: int) -> SafeString:
    """A row's label, right-aligned beside the row, wrapped onto at most two lines."""
    lines = wrap(label, chars, LABEL_MAX_LINES)
    first = middle - (len(lines) - 1) * LINE_HEIGHT / 2
    return format_html(
        '<text class="thrive-chart__label" text-anchor="end" dominant-baseline="central">{}</text>',
        _tspans(lines, x, first),
    )


def heatmap(tally: Tally, *, chart_id: str, described_by: str) -> SafeString:
    """Rows by columns of cells, darker for larger counts, each cell showing its count."""
    label_width = _label_width([label for _, label in tally.rows], HEATMAP_LABEL_CHARS)
    header_height = HEADER_MAX_LINES * LINE_HEIGHT + GAP
    width = label_width + CELL_WIDTH * len(tally.columns) + 1
    height = header_height + CELL_HEIGHT * len(tally.rows) + 1
    body = [
        _column_header(label_width + CELL_WIDTH * (i + 0.5), label)
        for i, (_, label) in enumerate(tally.columns)
    ]
    for r, (row, label) in enumerate(tally.rows):
        y = header_height + r * CELL_HEIGHT
        body.append(_row_label(label_width - GAP, y + CELL_HEIGHT / 2, label, HEATMAP_LABEL_CHARS))
        for c, (column, _) in enumerate(tally.columns):
            count = tally.count(row, column)
            fill, ink = heat_step(count, tally.maximum)
            x = label_width + c * CELL_WIDTH
            body.append(
                format_html(
                    '<rect class="thrive-chart__cell" x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'stroke="{}"/><text class="thrive-chart__count" x="{}" y="{}" text-anchor="middle" '
                    'dominant-baseline="central" fill="{}" font-weight="{}">{}</text>',
                    x + 0.5,
                    y + 0.5,
                    CELL_WIDTH,
                    CELL_HEIGHT,
                    fill,
                    GRID_COLOUR,
                    x + CELL_WIDTH / 2,
                    y + CELL_HEIGHT / 2,
                    ink,
                    "bold" if count else "normal",
                    count,
                )
            )
    return _svg(chart_id, tally.title, described_by, width, height, body)


def bar_chart(tally: Tally, *, column: str, chart_id: str, described_by: str) -> SafeString:
    """Horizontal bars of one column of a tally, longest for the largest count, each labelled."""
    label_width = _label_width([label for _, label in tally.rows], BAR_LABEL_CHARS)
    largest = max((tally.count(row, column) for row, _ in tally.rows), default=0)
    number_room = 6 * CHAR_WIDTH + GAP
    width = int(label_width + BAR_AREA + number_room)
    height = BAR_ROW * len(tally.rows) + GAP
    body = [
        format_html(
            '<line x1="{x}" y1="0" x2="{x}" y2="{h}" stroke="{colour}"/>',
            x=label_width,
            h=height,
            colour=MUTED_COLOUR,
        )
    ]
    for r, (row, label) in enumerate(tally.rows):
        count = tally.count(row, column)
        middle = GAP / 2 + r * BAR_ROW + BAR_ROW / 2
        length = round(BAR_AREA * count / largest, 1) if largest else 0
        body.append(_row_label(label_width - GAP, middle, label, BAR_LABEL_CHARS))
        body.append(
            format_html(
                '<rect class="thrive-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text class="thrive-chart__count" x="{}" y="{}" dominant-baseline="central" '
                'font-weight="bold">{}</text>',
                label_width,
                middle - BAR_HEIGHT / 2,
                length,
                BAR_HEIGHT,
                BAR_COLOUR,
                label_width + length + GAP / 2,
                middle,
                count,
            )
        )
    return _svg(chart_id, tally.title, described_by, width, height, body)


def map_svg(place_map: PlaceMap, *, chart_id: str, described_by: str):
    """The squares as inline SVG: one image named by its title, each square with its count."""
    rows, columns = grid_size()
    step = TILE + TILE_GAP
    body = []
    for tile in place_map.tiles:
        if tile.row is None:  # an authority an admin added, with no square of its own
            continue
        fill, ink = heat_step(tile.count, place_map.maximum)
        x, y = tile.column * step + 0.5, tile.row * step + 0.5
        body.append(
            format_html(
                '<g class="thrive-map__tile"><title>{name}: {count}</title>'
                '<rect x="{x}" y="{y}" width="{size}" height="{size}" fill="{fill}" stroke="{stroke}"/>'
                '<text x="{cx}" y="{label_y}" text-anchor="middle" font-size="13" fill="{ink}">{short}</text>'
                '<text x="{cx}" y="{count_y}" text-anchor="middle" font-size="18" font-weight="bold" '
                'fill="{ink}">{count}</text></g>',
                name=tile.name,
                count=tile.count,
                x=x,
                y=y,
                size=TILE,
                fill=fill,
                stroke=GRID_COLOUR,
                cx=x + TILE / 2,
                label_y=y + 24,
                count_y=y + 50,
                ink=ink,
                short=tile.abbreviation,
            )
        )
    return _svg(chart_id, MAP_TITLE, described_by, columns * step, rows * step, body)
