"""Where an assessment's activity takes place: London-wide, or some of London's 33 local
authorities, grouped by Integrated Care System.

London-wide and local authorities exclude each other on one assessment. A filter by a local
authority finds the assessments recorded for it and the London-wide ones, whose activity takes
place there too; a filter by London-wide finds only those recorded as London-wide. Counts by
place (``counts_by_area``) count each assessment once under each place it records: a
London-wide assessment counts under London-wide only, never under every borough.
"""

import functools
from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)

from assessments.models import Assessment
from places.london import LONDON_WIDE
from places.models import LocalAuthority
from places.selectors import PlaceGroup, known_place_groups, place_groups  # noqa: F401
from thrive_edi.aggregates import JoinedText, split_joined

LONDON_WIDE_LABEL = "London-wide"
NOT_RECORDED = "Not recorded"
BOTH_MESSAGE = "Select London-wide or local authorities, not both"
REQUIRED_MESSAGE = "Select where the activity takes place: London-wide, or one or more local authorities"
PLACE_FILTER_LABEL = "Where the activity takes place"
PLACE_FILTER_HINT = "A local authority also finds London-wide assessments."


def place_choices(groups: list[PlaceGroup] | None = None) -> list:
    """London-wide, then each local authority under its system (grouped, for a select).

    ``groups``: ``place_groups()`` when the page has read them already."""
    groups = known_place_groups() if groups is None else groups
    return [
        (LONDON_WIDE, LONDON_WIDE_LABEL),
        *[(group.name, [(a.gss_code, a.name) for a in group.authorities]) for group in groups],
    ]


NAME_SEPARATOR = "\x1f"  # the unit separator: in no name


def with_place_names(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Each assessment with its local authorities' names (``place_names``), read in the same
    query as the assessment: a page that shows them needs no query of its own."""
    return queryset.annotate(place_names=_place_names())


@functools.cache
def _place_names() -> Subquery:
    """The subquery of ``with_place_names``, built once: each query resolves a copy of its own."""
    through = Assessment.local_authorities.through
    joined = (
        through.objects.filter(assessment=OuterRef("pk"))
        .values("assessment")
        .annotate(names=JoinedText("localauthority__name", NAME_SEPARATOR))
        .values("names")
    )
    return Subquery(joined)


def place_names(assessment: Assessment) -> list[str]:
    """What pages show: ["London-wide"], the local authorities' names, or nothing recorded."""
    if assessment.london_wide:
        return [LONDON_WIDE_LABEL]
    if hasattr(assessment, "place_names"):  # read with the assessment (``with_place_names``)
        return sorted(split_joined(assessment.place_names, NAME_SEPARATOR))
    return sorted(authority.name for authority in assessment.local_authorities.all())


def places_text(assessment: Assessment) -> str:
    return ", ".join(place_names(assessment)) or NOT_RECORDED


def places_document(assessment: Assessment) -> dict:
    """The places as a signed snapshot keeps them: with codes, names and systems as they were."""
    prefetch_related_objects([assessment], "local_authorities__ics")  # none if loaded already
    authorities = sorted(assessment.local_authorities.all(), key=lambda a: a.name)
    return {
        "london_wide": assessment.london_wide,
        "local_authorities": [
            {"gss_code": a.gss_code, "name": a.name, "ics": a.ics.name} for a in authorities
        ],
    }


def document_places_text(document: dict | None) -> str:
    """The places of a snapshot's ``places`` (None in snapshots made before they were recorded)."""
    if not document:
        return NOT_RECORDED
    if document["london_wide"]:
        return LONDON_WIDE_LABEL
    return ", ".join(item["name"] for item in document["local_authorities"]) or NOT_RECORDED


def in_place(queryset: QuerySet[Assessment], value: str) -> QuerySet[Assessment]:
    """The assessments whose activity takes place at ``value`` (a GSS code or London-wide)."""
    if not value:
        return queryset
    if value == LONDON_WIDE:
        return queryset.filter(london_wide=True)
    linked = Assessment.local_authorities.through.objects.filter(
        assessment=OuterRef("pk"), localauthority__gss_code=value
    )
    return queryset.filter(Q(london_wide=True) | Exists(linked))


def place_filter() -> django_filters.ChoiceFilter:
    """The filter by place of the staff list, the board portal, the dashboard and the exports."""
    return django_filters.ChoiceFilter(
        choices=place_choices,
        method=lambda queryset, name, value: in_place(queryset, value),
        label=PLACE_FILTER_LABEL,
        help_text=PLACE_FILTER_HINT,
        empty_label="Anywhere",
        widget=forms.Select(attrs={"aria-describedby": "id_place-hint"}),
    )


def counts_by_area(queryset: QuerySet[Assessment]) -> dict[str, int]:
    """``{GSS code or "london": number of assessments}`` of ``queryset``, in one query.

    Each assessment counts once under each local authority it records, and London-wide ones
    under "london" only; places with none are left out. Sums over places may exceed the number
    of assessments (one may take place in several boroughs).
    """
    ids = queryset.order_by().values("pk")
    through = Assessment.local_authorities.through
    by_authority = (
        through.objects.filter(assessment__in=ids)
        .values_list("localauthority__gss_code")
        .annotate(n=Count("assessment_id", distinct=True))
        .order_by()
    )
    london = (
        Assessment.objects.filter(pk__in=ids, london_wide=True)
        .annotate(place=Value(LONDON_WIDE, output_field=CharField()))
        .values_list("place")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for key, n in by_authority.union(london, all=True):
        if n:
            counts[key] = counts.get(key, 0) + n
    return counts


def with_place_ids(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Each assessment with ``place_ids``: its local authorities' ids joined by commas (or None),
    read in the same query as the assessments, whatever their number."""
    through = Assessment.local_authorities.through
    joined = (
        through.objects.filter(assessment=OuterRef("pk"))
        .values("assessment")
        .annotate(ids=JoinedText("localauthority_id"))
        .values("ids")
    )
    return queryset.annotate(place_ids=Subquery(joined))


class PlaceReader:
    """Names and codes of the places of rows annotated by ``with_place_ids``; the local
    authorities are read once, however many rows there are."""

    def __init__(self):
        self.authorities = {
            pk: (code, name)
            for pk, code, name in LocalAuthority.objects.values_list("pk", "gss_code", "name")
        }

    def _authorities(self, assessment) -> list[tuple[str, str]]:
        found = [self.authorities.get(int(pk)) for pk in split_joined(assessment.place_ids)]
        return sorted((item for item in found if item), key=lambda item: item[1])

    def names(self, assessment) -> str:
        if assessment.london_wide:
            return LONDON_WIDE_LABEL
        return "; ".join(name for _, name in self._authorities(assessment))

    def codes(self, assessment) -> str:
        return "; ".join(code for code, _ in self._authorities(assessment))


def authorities_by_code(codes: Iterable[str]) -> list[LocalAuthority]:
    return list(LocalAuthority.objects.filter(gss_code__in=list(codes)))
