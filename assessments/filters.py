import django_filters
from django import forms
from django.contrib.auth import get_user_model

from assessments import search
from assessments.models import Assessment, reading_reach
from assessments.places import place_filter
from frameworks.models import FrameworkVersion
from frameworks.scales import ActivityType
from frameworks.selectors import visible_version_options
from thrive_edi.forms import style_filter_fields
from thrive_edi.kept import kept_under, mark_renew
from thrive_edi.people import NAME_FIELDS, person_name


def search_filter() -> django_filters.CharFilter:
    """The search box of the staff list and the board portal."""
    return django_filters.CharFilter(
        method="search",
        label=search.SEARCH_LABEL,
        help_text=search.SEARCH_HINT,
        max_length=200,
        widget=forms.TextInput(attrs={"aria-describedby": "id_q-hint", "type": "search"}),
    )


SORTS = {
    "updated": ("-updated_at", "Recently changed"),
    "reference": ("reference", "Reference"),
    "title": ("title", "Title"),
    "review": ("review_date", "Review date"),
}


class AssessmentFilter(django_filters.FilterSet):
    q = search_filter()
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices, empty_label="Any status")
    activity_type = django_filters.ChoiceFilter(choices=ActivityType.choices, empty_label="Any activity")
    place = place_filter()
    # Query sets given as callables: each filter set deep-copies its filters, and a query set
    # is costly to copy.
    owner = django_filters.ModelChoiceFilter(
        queryset=lambda request: get_user_model().objects.none(), empty_label="Anyone"
    )
    framework_version = django_filters.ModelChoiceFilter(
        queryset=lambda request: FrameworkVersion.objects.visible().only("pk", "name", "label"),
        empty_label="Any version",
        label="Framework version",
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (_, label) in SORTS.items()],
        method="sort_by",
        empty_label=None,
        label="Sort by",
    )

    class Meta:
        model = Assessment
        fields = ["q", "status", "activity_type", "place", "owner", "framework_version"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only owners of assessments the user may see: a board member learns nothing of drafts.
        self.filters["owner"].queryset = visible_owners(user)
        self.filters["owner"].field.label_from_instance = person_name
        style_filter_fields(
            self.form, options={"owner": owner_options(user), "framework_version": visible_version_options()}
        )

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-updated_at", "-pk")
        return queryset

    def search(self, queryset, name, value):
        return search.matching(queryset, value)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(SORTS.get(value, SORTS["updated"])[0], "-pk")


def visible_owners(user):
    """The people who own an assessment ``user`` may read, by first name."""
    owning = Assessment.objects.visible_to(user).values("owner_id")
    return get_user_model().objects.filter(pk__in=owning).only("pk", *NAME_FIELDS).order_by("first_name")


# The owner filter's options, kept in the shared cache for each reach of reading
# (``models.reading_reach``) under a mark that ``owner_options_forget`` renews: when an
# assessment is created, deleted, changes hands or status, or a person's name changes.
OWNER_OPTIONS_KEY = "assessments:owner-options:{reach}"
OWNER_OPTIONS_MARK_KEY = "assessments:owner-options:mark"
OWNER_OPTIONS_KEPT_FOR = 60 * 60


def owner_options(user) -> list[tuple[int, str]]:
    """(pk, name) of ``visible_owners``, read once for every reader of the same reach: a query
    and a user row an owner at every view of the list otherwise."""
    return kept_under(
        OWNER_OPTIONS_KEY.format(reach=reading_reach(user)),
        [OWNER_OPTIONS_MARK_KEY],
        lambda: [(person.pk, person_name(person)) for person in visible_owners(user)],
        OWNER_OPTIONS_KEPT_FOR,
    )


def owner_options_forget() -> None:
    """The kept owner options are read afresh at the next view of the list."""
    mark_renew(OWNER_OPTIONS_MARK_KEY)
