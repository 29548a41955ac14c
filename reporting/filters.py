"""Filters shared by the board portal and the dashboard: over signed-off assessments."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from assessments.models import Assessment, ImpactRating, PrincipleAlignment
from frameworks.models import Characteristic, Principle
from frameworks.scales import ActivityType, Decision, Impact, PrincipleAlignmentLevel

NEGATIVE_IMPACTS = (Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE)


def _distinct_keys(model) -> list[tuple[str, str]]:
    """(key, name) of a framework item across versions, newest wording first, each key once."""
    seen: dict[str, str] = {}
    for key, name in model.objects.order_by("-version__pk", "order").values_list("key", "name"):
        seen.setdefault(key, name)
    return sorted(seen.items(), key=lambda item: item[1])


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["negative_for"].extra["choices"] = _distinct_keys(Characteristic)
        self.filters["not_considered"].extra["choices"] = _distinct_keys(Principle)
        for field in self.form.fields.values():
            css = (
                "govuk-select"
                if isinstance(field.widget, forms.Select)
                else "govuk-input govuk-input--width-10"
            )
            field.widget.attrs["class"] = css

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
