"""The portfolio dashboard's figures, counted in the database.

Only the latest signed-off version of each piece of work counts (status ``signed_off``): a
superseded version has been re-assessed, and counting it too would count one activity twice.
Characteristics and principles differ between framework versions, so rows are counted by
key and named with the current version's wording; keys that only older versions have keep
the wording of the newest version that has them. Every figure takes one query, whatever
the number of assessments; the whole portfolio's counts are kept as assessments are signed
off (``reporting.portfolio``), so the unfiltered dashboard does not count them on each view.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)

from assessments.models import Action, Assessment, ImpactRating, ParticipationEntry, PrincipleAlignment
from assessments.places import PlaceGroup, counts_by_area
from assessments.selectors import framework_template
from frameworks.models import Characteristic, FrameworkVersion, Principle
from frameworks.scales import (
    SCALE_KEYS,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
    Scale,
    scale_of,
)
from reporting.filters import framework_items
from reporting.place_map import PlaceMap, place_map

NOT_RECORDED = "Not recorded"
NO_PARTICIPATION = "No participation recorded"
DATA_GAP_RECORDED = "Data gap recorded"
OVERDUE_LIST_LIMIT = 10
OPEN_ACTION_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Tally:
    """Counts by row and column: a chart draws them and its table shows the same numbers."""

    slug: str
    title: str
    row_header: str
    rows: list[tuple[str | None, str]]  # (key, label); None: the row of assessments without any
    columns: list[tuple[str, str]]  # (key, label)
    counts: dict[tuple[str | None, str], int] = field(default_factory=dict)

    def count(self, row: str | None, column: str) -> int:
        return self.counts.get((row, column), 0)

    @property
    def table(self) -> list[tuple[str, list[int]]]:
        return [(label, [self.count(row, column) for column, _ in self.columns]) for row, label in self.rows]

    @property
    def maximum(self) -> int:
        return max(self.counts.values(), default=0)


@dataclass(frozen=True)
class Dashboard:
    assessment_count: int
    no_assessment_needed_count: int  # screenings signed off as needing no assessment
    overdue_action_count: int
    with_overdue_actions_count: int
    overdue_review_count: int
    impacts: Tally
    data_gaps: Tally
    principles: Tally
    participation: Tally
    decisions: Tally
    # Only what the user may read: assessments with overdue actions, oldest due date first
    # (``reference``, ``title``, ``overdue_actions``, ``earliest_due`` of each), and
    # assessments whose review is overdue, oldest first.
    overdue_actions: list[dict]
    overdue_reviews: list[Assessment]
    places: PlaceMap


def latest_signed_off() -> QuerySet[Assessment]:
    """What the dashboard counts: signed-off assessments that no newer version has superseded."""
    return Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF)


def current_version() -> FrameworkVersion | None:
    """The published version with its scales; a frozen one is read once per process."""
    current = FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).first()
    if current is None:
        return None
    if current.frozen_at is not None:
        return framework_template(current.pk, current.frozen_at).version
    prefetch_related_objects([current], "scale_options")
    return current


def scale_labels(version: FrameworkVersion | None, scale) -> list[tuple[str, str]]:
    """``[(key, label)]`` of a scale in the code's order, worded by ``version`` when there is one."""
    keys = SCALE_KEYS[scale_of(scale)]
    if version is None:
        return [(key, str(label)) for key, label in keys.choices]
    return [(key, version.label_for(scale, key)) for key in keys.values]


def names_by_key(items: list[dict], version: FrameworkVersion | None, used_keys) -> list[tuple[str, str]]:
    """``[(key, name)]`` of the characteristics or principles to show as rows.

    ``items``: ``filters.framework_items`` of the model. The current version's items come
    first, in its order (protected characteristics before additional groups); then keys that
    only older versions have, if any assessment used them.
    """
    current_pk = version.pk if version else None
    chosen: dict[str, dict] = {}
    for row in items:
        if row["version_id"] == current_pk or row["key"] not in chosen:
            chosen[row["key"]] = row
    shown = [row for row in chosen.values() if row["version_id"] == current_pk or row["key"] in used_keys]
    shown.sort(
        key=lambda row: (
            row["version_id"] != current_pk,
            row.get("kind", Characteristic.Kind.PROTECTED) != Characteristic.Kind.PROTECTED,
            row["order"],
            row["name"],
        )
    )
    return [(row["key"], row["name"]) for row in shown]


Counts = dict[tuple[str, str | None, str], int]
"""``{(figure, row, column): count}``: every number the dashboard's tallies show, zeros left out."""

ASSESSMENTS = ("assessments", "", "")  # the cell that counts the assessments themselves
# The cell that counts the screenings signed off as needing no assessment.
NO_ASSESSMENT_NEEDED = ("scopes", Assessment.Scope.NONE.value, "assessments")


def _by_key(
    queryset, group: str, columns: dict[str, Q | None], key_of: dict | None = None
) -> dict[tuple[str, str], int]:
    """One grouped query: ``{(group value, column): count}``, counting the rows that match each Q.

    ``key_of``: when grouping by a framework item's id, its key; items of several versions
    that share a key are counted together, and no join to the items is needed.
    """
    annotations = {f"n_{name}": Count("pk", filter=condition) for name, condition in columns.items()}
    counts: dict[tuple[str, str], int] = {}
    for row in queryset.values(group).annotate(**annotations).order_by():
        value = key_of[row[group]] if key_of is not None else row[group]
        for name in columns:
            counts[(value, name)] = counts.get((value, name), 0) + row[f"n_{name}"]
    return counts


def count_portfolio(
    assessments: QuerySet[Assessment], *, characteristics: list[dict], principles: list[dict]
) -> Counts:
    """Count what the tallies and the map show for ``assessments``, in five queries whatever
    their number.

    ``characteristics``, ``principles``: ``filters.framework_items`` of each. Counts add up:
    those of two sets of assessments are the sums of each set's, which is how
    ``reporting.portfolio`` keeps the whole portfolio's counts as assessments are signed off.
    """
    ids = assessments.order_by().values("pk")
    counts: Counts = {}

    def add(figure: str, cells: dict) -> None:
        for (row, column), n in cells.items():
            if n:
                counts[(figure, row, column)] = counts.get((figure, row, column), 0) + n

    gap_columns = {
        "low": Q(confidence=EvidenceConfidence.LOW),
        "none": Q(confidence=EvidenceConfidence.NONE),
        "gap": Q(data_gap=True),
    }
    rated = _by_key(
        ImpactRating.objects.filter(assessment__in=ids),
        "characteristic_id",
        {**{key: Q(impact=key) for key in Impact.values}, **gap_columns},
        key_of={item["pk"]: item["key"] for item in characteristics},
    )
    add("impacts", {cell: n for cell, n in rated.items() if cell[1] not in gap_columns})
    add("data-gaps", {cell: n for cell, n in rated.items() if cell[1] in gap_columns})
    add(
        "principles",
        _by_key(
            PrincipleAlignment.objects.filter(assessment__in=ids),
            "principle_id",
            {key: Q(alignment=key) for key in PrincipleAlignmentLevel.values},
            key_of={item["pk"]: item["key"] for item in principles},
        ),
    )
    add(
        "participation",
        _by_key(ParticipationEntry.objects.filter(assessment__in=ids), "level", {"entries": None}),
    )
    rung = Case(
        *[When(level=key, then=Value(index)) for index, key in enumerate(ParticipationLevel.values)],
        output_field=IntegerField(),
    )
    highest = (
        ParticipationEntry.objects.filter(assessment=OuterRef("pk"))
        .order_by()
        .values("assessment")
        .annotate(top=Max(rung))
        .values("top")
    )
    # Each assessment's decision and highest rung, counted in one grouped query.
    grouped = (
        assessments.annotate(top=Subquery(highest)).values("top", "decision", "scope").annotate(n=Count("pk"))
    )
    total = 0
    for row in grouped.order_by():
        top = ParticipationLevel.values[row["top"]] if row["top"] is not None else None
        add("participation", {(top, "highest"): row["n"]})
        add("decisions", {(row["decision"], "assessments"): row["n"]})
        add("scopes", {(row["scope"], "assessments"): row["n"]})
        total += row["n"]
    add(ASSESSMENTS[0], {ASSESSMENTS[1:]: total})
    add("places", {(place, "assessments"): n for place, n in counts_by_area(assessments).items()})
    return counts


def _cells(counts: Counts, figure: str) -> dict[tuple[str | None, str], int]:
    return {(row, column): n for (name, row, column), n in counts.items() if name == figure}


def _with_not_recorded(rows: list[tuple[str, str]], counts: dict, label: str = NOT_RECORDED):
    """Add a row for rows without a value, when there are any: no count goes missing."""
    if any(value for (row, _), value in counts.items() if row in ("", None)):
        return [*rows, ("", label)]
    return rows


def _impact_tallies(counts: Counts, version, characteristics: list[dict]) -> tuple[Tally, Tally]:
    impacts = _cells(counts, "impacts")
    gaps = _cells(counts, "data-gaps")
    rows = names_by_key(characteristics, version, {row for row, _ in [*impacts, *gaps]})
    confidence = dict(scale_labels(version, Scale.EVIDENCE_CONFIDENCE))
    heatmap = Tally(
        "impacts",
        "Impact ratings by characteristic",
        "Characteristic",
        rows,
        scale_labels(version, Scale.IMPACT),
        impacts,
    )
    data_gaps = Tally(
        "data-gaps",
        "Data gaps by characteristic",
        "Characteristic",
        rows,
        [
            ("low", confidence[EvidenceConfidence.LOW]),
            ("none", confidence[EvidenceConfidence.NONE]),
            ("gap", DATA_GAP_RECORDED),
        ],
        gaps,
    )
    return heatmap, data_gaps


def _principle_tally(counts: Counts, version, principles: list[dict]) -> Tally:
    cells = _cells(counts, "principles")
    rows = names_by_key(principles, version, {row for row, _ in cells})
    levels = scale_labels(version, Scale.PRINCIPLE_ALIGNMENT)
    return Tally("principles", "Alignment with the principles", "Principle", rows, levels, cells)


def _participation_tally(counts: Counts, version) -> Tally:
    cells = _cells(counts, "participation")
    rows = [*scale_labels(version, Scale.PARTICIPATION), (None, NO_PARTICIPATION)]
    if cells.get(("", "entries")):
        rows.append(("", NOT_RECORDED))
    columns = [
        ("highest", "Assessments whose highest level this is"),
        ("entries", "Participation entries at this level"),
    ]
    return Tally("participation", "Participation ladder", "Level", rows, columns, cells)


def _decision_tally(counts: Counts, version) -> Tally:
    cells = _cells(counts, "decisions")
    rows = _with_not_recorded(scale_labels(version, Scale.DECISION), cells)
    return Tally("decisions", "Decisions", "Decision", rows, [("assessments", "Assessments")], cells)


def portfolio_dashboard(
    *,
    assessments: QuerySet[Assessment],
    readable: QuerySet[Assessment],
    today: date,
    characteristics: list[dict] | None = None,
    principles: list[dict] | None = None,
    counts: Counts | None = None,
    places: list[PlaceGroup] | None = None,
) -> Dashboard:
    """The dashboard's figures for ``assessments``; lists only name what is in ``readable``.

    ``characteristics``, ``principles``: ``filters.framework_items`` of each, when the page has
    read them already, and ``places``: ``place_groups()``. ``counts``: those of ``assessments``
    when they are known already (the whole portfolio's are kept, ``reporting.portfolio``);
    counted here otherwise.
    """
    ids = assessments.order_by().values("pk")
    version = current_version()
    if characteristics is None:
        characteristics = framework_items(Characteristic)
    if principles is None:
        principles = framework_items(Principle)
    if counts is None:
        counts = count_portfolio(assessments, characteristics=characteristics, principles=principles)
    impacts, data_gaps = _impact_tallies(counts, version, characteristics)
    overdue = Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    overdue_actions = Action.objects.filter(overdue, assessment__in=ids).aggregate(
        actions=Count("*"), assessments=Count("assessment", distinct=True)
    )
    shown = assessments & readable
    return Dashboard(
        assessment_count=counts.get(ASSESSMENTS, 0),
        no_assessment_needed_count=counts.get(NO_ASSESSMENT_NEEDED, 0),
        overdue_action_count=overdue_actions["actions"],
        with_overdue_actions_count=overdue_actions["assessments"],
        overdue_review_count=assessments.filter(review_date__lt=today).count(),
        impacts=impacts,
        data_gaps=data_gaps,
        principles=_principle_tally(counts, version, principles),
        participation=_participation_tally(counts, version),
        decisions=_decision_tally(counts, version),
        # Grouped over the overdue actions, not over every assessment's columns.
        overdue_actions=list(
            Action.objects.filter(overdue, assessment__in=shown.order_by().values("pk"))
            .values(reference=F("assessment__reference"), title=F("assessment__title"))
            .annotate(overdue_actions=Count("*"), earliest_due=Min("due_date"))
            .order_by("earliest_due", "reference")[:OVERDUE_LIST_LIMIT]
        ),
        overdue_reviews=list(
            shown.filter(review_date__lt=today).order_by("review_date", "reference")[:OVERDUE_LIST_LIMIT]
        ),
        places=place_map({row: n for (row, _), n in _cells(counts, "places").items()}, places),
    )
