"""Filters shared by the board portal and the dashboard: over signed-off assessments."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Value

from assessments import search
from assessments.filters import search_filter
from assessments.models import Assessment, ImpactRating, PrincipleAlignment
from assessments.places import place_choices, place_filter
from frameworks.models import Characteristic, FrameworkVersion, Principle
from frameworks.scales import ActivityType, Decision, Impact, PrincipleAlignmentLevel
from thrive_edi.forms import DATE_INPUT_FORMATS, FILTER_DATE_HINT, style_filter_fields

NEGATIVE_IMPACTS = (Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE)


def framework_items(model) -> list[dict]:
    """Every characteristic or principle of the published and retired versions, newest first.

    What the filters offer and the dashboard's rows are named from, read once per page.
    """
    fields = ["pk", "key", "name", "order", "version_id"]
    if model is Characteristic:
        fields.append("kind")
    return list(
        model.objects.exclude(version__status=FrameworkVersion.Status.DRAFT)
        .order_by("-version__created_at", "-version_id", "order", "pk")
        .values(*fields)
    )


def framework_items_of_both() -> dict[str, list[dict]]:
    """``{"characteristics": framework_items(Characteristic), "principles": ...(Principle)}``,
    read in one query."""
    fields = ["pk", "key", "name", "order", "version_id"]

    def part(model, tag: str, kind):
        return (
            model.objects.exclude(version__status=FrameworkVersion.Status.DRAFT)
            .annotate(item=Value(tag), item_kind=kind, created=F("version__created_at"))
            .values(*fields, "item", "item_kind", "created")
            .order_by()  # the parts of a union carry no order of their own (SQLite refuses one)
        )

    rows = part(Characteristic, "c", F("kind")).union(part(Principle, "p", Value("")), all=True)
    found: dict[str, list[dict]] = {"characteristics": [], "principles": []}
    for row in rows.order_by("-created", "-version_id", "order", "pk"):
        item = {name: row[name] for name in fields}
        if row["item"] == "c":
            found["characteristics"].append({**item, "kind": row["item_kind"]})
        else:
            found["principles"].append(item)
    return found


def _distinct_keys(items: list[dict]) -> list[tuple[str, str]]:
    """(key, name) of each key once, in its newest wording, by name."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item["key"], item["name"])
    return sorted(seen.items(), key=lambda pair: pair[1])


def uk_date_filter(name: str, label: str, lookup_expr: str) -> django_filters.DateFilter:
    """A date filter in one text box, typed as people in the UK write dates; ``name``: the
    filter's own, for the id of its hint."""
    return django_filters.DateFilter(
        field_name="signed_off_at",
        lookup_expr=lookup_expr,
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        help_text=FILTER_DATE_HINT,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"aria-describedby": f"id_{name}-hint"}),
        error_messages={"invalid": f"Enter a real date. {FILTER_DATE_HINT}"},
    )


class SignedOffFilter(django_filters.FilterSet):
    signed_off_from = uk_date_filter("signed_off_from", "Signed off from", "date__gte")
    signed_off_to = uk_date_filter("signed_off_to", "Signed off to", "date__lte")
    activity_type = django_filters.ChoiceFilter(choices=ActivityType.choices, empty_label="Any activity")
    decision = django_filters.ChoiceFilter(choices=Decision.choices, empty_label="Any decision")
    place = place_filter()
    negative_for = django_filters.ChoiceFilter(
        method="filter_negative_for", label="Characteristic rated negative", empty_label="Any"
    )
    not_considered = django_filters.ChoiceFilter(
        method="filter_not_considered", label="Principle not yet considered", empty_label="Any"
    )

    class Meta:
        model = Assessment
        fields = ["activity_type", "decision", "place"]

    def __init__(self, *args, characteristics=None, principles=None, places=None, **kwargs):
        """``characteristics``, ``principles``: ``framework_items`` of each, ``places``:
        ``place_groups()``, when the page has read them already."""
        super().__init__(*args, **kwargs)
        if places is not None:
            self.filters["place"].extra["choices"] = place_choices(places)
        if characteristics is None:
            characteristics = framework_items(Characteristic)
        if principles is None:
            principles = framework_items(Principle)
        self.filters["negative_for"].extra["choices"] = _distinct_keys(characteristics)
        self.filters["not_considered"].extra["choices"] = _distinct_keys(principles)
        style_filter_fields(self.form, input_class="govuk-input govuk-input--width-10")

    def filter_negative_for(self, queryset, name, value):
        rated = ImpactRating.objects.filter(
            assessment=OuterRef("pk"), characteristic__key=value, impact__in=NEGATIVE_IMPACTS
        )
        return queryset.filter(Exists(rated))

    def filter_not_considered(self, queryset, name, value):
        rated = PrincipleAlignment.objects.filter(
            assessment=OuterRef("pk"), principle__key=value, alignment=PrincipleAlignmentLevel.NOT_CONSIDERED
        )
        return queryset.filter(Exists(rated))


class PortalFilter(SignedOffFilter):
    """The board portal's filters, with the search box first."""

    q = search_filter()

    class Meta(SignedOffFilter.Meta):
        fields = ["q", *SignedOffFilter.Meta.fields]

    def search(self, queryset, name, value):
        return search.matching(queryset, value)


class ExportFilter(django_filters.FilterSet):
    """What the exports page offers: the dashboard's filter by place, over every readable row."""

    place = place_filter()

    class Meta:
        model = Assessment
        fields = ["place"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_fields(self.form)


def signed_off_assessments():
    return Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
