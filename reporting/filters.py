"""Filters shared by the board portal and the dashboard: over signed-off assessments."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from assessments.models import Assessment, ImpactRating, PrincipleAlignment
from frameworks.models import Characteristic, FrameworkVersion, Principle
from frameworks.scales import ActivityType, Decision, Impact, PrincipleAlignmentLevel
from thrive_edi.forms import style_filter_fields

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


def _distinct_keys(items: list[dict]) -> list[tuple[str, str]]:
    """(key, name) of each key once, in its newest wording, by name."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item["key"], item["name"])
    return sorted(seen.items(), key=lambda pair: pair[1])


class DateInput(forms.DateInput):
    input_type = "date"


class SignedOffFilter(django_filters.FilterSet):
    signed_off_from = django_filters.DateFilter(
        field_name="signed_off_at", lookup_expr="date__gte", label="Signed off from", widget=DateInput
    )
    signed_off_to = django_filters.DateFilter(
        field_name="signed_off_at", lookup_expr="date__lte", label="Signed off to", widget=DateInput
    )
    activity_type = django_filters.ChoiceFilter(choices=ActivityType.choices, empty_label="Any activity")
    decision = django_filters.ChoiceFilter(choices=Decision.choices, empty_label="Any decision")
    negative_for = django_filters.ChoiceFilter(
        method="filter_negative_for", label="Characteristic rated negative", empty_label="Any"
    )
    not_considered = django_filters.ChoiceFilter(
        method="filter_not_considered", label="Principle not yet considered", empty_label="Any"
    )

    class Meta:
        model = Assessment
        fields = ["activity_type", "decision"]

    def __init__(self, *args, characteristics=None, principles=None, **kwargs):
        """``characteristics``, ``principles``: ``framework_items`` of each, when the page has
        read them already."""
        super().__init__(*args, **kwargs)
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


def signed_off_assessments():
    return Assessment.objects.filter(status__in=Assessment.PUBLISHED_STATUSES)
