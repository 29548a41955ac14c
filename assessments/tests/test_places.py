"""Where an assessment's activity takes place: recorded on its details, shown, frozen, copied,
in the history, filtered by, and counted."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import Assessment, FrozenAssessmentError
from assessments.places import BOTH_MESSAGE, REQUIRED_MESSAGE, counts_by_area, in_place
from places.models import LocalAuthority

pytestmark = pytest.mark.django_db

NEWHAM, HACKNEY, CAMDEN = "E09000025", "E09000012", "E09000007"


def authorities(*codes):
    return list(LocalAuthority.objects.filter(gss_code__in=codes))


def placed(owner, *codes, london_wide=False, title="Peer support"):
    return services.assessment_create(
        owner=owner,
        title=title,
        activity_type="programme",
        london_wide=london_wide,
        local_authorities=authorities(*codes),
    )


def details(assessment, **changes) -> dict:
    return {
        "title": assessment.title,
        "activity_type": assessment.activity_type,
        "summary": assessment.summary,
        "based_on": services.details_fingerprint(assessment),
        **changes,
    }


def edit_url(assessment) -> str:
    return reverse("assessments:edit_details", args=[assessment.reference])


# The details form


def test_the_details_form_offers_london_wide_and_the_33_authorities_grouped_by_system(editor, assessment):
    page = editor.get(edit_url(assessment)).content.decode()
    assert page.count('name="where"') == 34
    assert 'data-behaviour="exclusive"' in page
    for system in ("North Central London", "North East London", "South West London"):
        assert f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{system}</legend>' in page


def test_choosing_local_authorities_stores_them(editor, assessment):
    response = editor.post(edit_url(assessment), details(assessment, where=[NEWHAM, HACKNEY]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert not assessment.london_wide
    assert sorted(assessment.local_authorities.values_list("gss_code", flat=True)) == [HACKNEY, NEWHAM]


def test_choosing_london_wide_replaces_the_local_authorities(editor, staff_user):
    assessment = placed(staff_user, NEWHAM)
    response = editor.post(edit_url(assessment), details(assessment, where=["london"]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.london_wide and not assessment.local_authorities.exists()


def test_london_wide_with_local_authorities_is_refused_keeping_what_was_typed(editor, assessment):
    response = editor.post(
        edit_url(assessment), details(assessment, title="A new title", where=["london", NEWHAM])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert BOTH_MESSAGE in page
    assert 'href="#id_where_1"' in page  # the error summary links to the first checkbox
    assert 'value="A new title"' in page
    assert len(re.findall(r'name="where" type="checkbox" value="(?:london|E09000025)" checked', page)) == 2
    assessment.refresh_from_db()
    assert assessment.title == "Peer support in Newham" and not assessment.local_authorities.exists()


def test_saying_nowhere_is_refused_with_a_clear_message(editor):
    response = editor.post(
        reverse("assessments:create"), {"title": "Peer support", "activity_type": "programme"}
    )
    assert response.status_code == 200
    assert REQUIRED_MESSAGE in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_unknown_place_is_refused_without_an_error_page(editor, assessment):
    response = editor.post(edit_url(assessment), details(assessment, where=["E09999999"]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_service_refuses_london_wide_with_local_authorities(staff_user):
    with pytest.raises(ValidationError):
        placed(staff_user, NEWHAM, london_wide=True)
    assert not Assessment.objects.exists()


# Shown, frozen, copied, in the history


def test_the_task_list_and_check_answers_say_where_it_takes_place(editor, staff_user):
    assessment = placed(staff_user, NEWHAM, HACKNEY)
    for name in ("detail", "check"):
        page = editor.get(reverse(f"assessments:{name}", args=[assessment.reference])).content.decode()
        assert '<dd class="govuk-summary-list__value" id="where-it-takes-place">Hackney, Newham</dd>' in page


def test_an_assessment_without_a_place_says_it_is_not_recorded(editor, assessment):
    page = editor.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert 'id="where-it-takes-place">Not recorded</dd>' in page


def test_the_signed_snapshot_keeps_the_places_and_they_cannot_change(staff_user, sign_off):
    from assessments.tests.factories import fill_assessment

    assessment = sign_off(fill_assessment(placed(staff_user, CAMDEN, NEWHAM), user=staff_user))
    places = json.loads(assessment.snapshot.document)["assessment"]["places"]
    assert places == {
        "london_wide": False,
        "local_authorities": [
            {"gss_code": CAMDEN, "name": "Camden", "ics": "North Central London"},
            {"gss_code": NEWHAM, "name": "Newham", "ics": "North East London"},
        ],
    }
    with pytest.raises(FrozenAssessmentError), transaction.atomic():
        assessment.local_authorities.add(*authorities(HACKNEY))
    with pytest.raises(FrozenAssessmentError), transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(london_wide=True)
    assert [a.gss_code for a in assessment.local_authorities.all()] == [CAMDEN, NEWHAM]


def test_a_reassessment_starts_where_the_last_version_took_place(staff_user, sign_off):
    from assessments.tests.factories import fill_assessment

    old = sign_off(fill_assessment(placed(staff_user, HACKNEY), user=staff_user))
    new = lifecycle.assessment_reassess(assessment=old, user=staff_user)
    assert list(new.local_authorities.values_list("gss_code", flat=True)) == [HACKNEY]
    assert not new.london_wide


def test_changing_the_places_is_in_the_history(editor, staff_user):
    assessment = placed(staff_user, NEWHAM)
    editor.post(edit_url(assessment), details(assessment, where=[HACKNEY, CAMDEN]))
    response = editor.get(reverse("assessments:history", args=[assessment.reference]))
    found = [change.fields for change in response.context["page"].object_list if change.kind == "changed"]
    assert [("Local authorities", "Newham", "Camden, Hackney")] in found
    editor.post(edit_url(assessment), details(Assessment.objects.get(pk=assessment.pk), where=["london"]))
    response = editor.get(reverse("assessments:history", args=[assessment.reference]))
    fields = response.context["page"].object_list[0].fields
    assert ("London-wide", "No", "Yes") in fields
    assert ("Local authorities", "Camden, Hackney", "(blank)") in fields


# Filters and counts


@pytest.fixture
def spread(staff_user):
    """Assessments in Newham, in Hackney and Newham, in Camden, London-wide, and nowhere yet."""
    return {
        "newham": placed(staff_user, NEWHAM, title="Newham"),
        "both": placed(staff_user, NEWHAM, HACKNEY, title="Both"),
        "camden": placed(staff_user, CAMDEN, title="Camden"),
        "london": placed(staff_user, london_wide=True, title="London"),
        "nowhere": placed(staff_user, title="Nowhere"),
    }


def test_a_borough_finds_its_own_assessments_and_the_london_wide_ones(spread):
    found = set(in_place(Assessment.objects.all(), NEWHAM).values_list("title", flat=True))
    assert found == {"Newham", "Both", "London"}


def test_london_wide_finds_only_the_london_wide_ones(spread):
    assert list(in_place(Assessment.objects.all(), "london").values_list("title", flat=True)) == ["London"]


def test_the_staff_list_filters_by_place_and_says_what_a_borough_finds(editor, spread):
    response = editor.get(reverse("assessments:list"), {"scope": "all", "place": HACKNEY})
    titles = {assessment.title for assessment in response.context["page"].object_list}
    assert titles == {"Both", "London"}
    assert "A local authority also finds London-wide assessments." in response.content.decode()


def test_the_staff_list_refuses_an_unknown_place_with_a_message(editor, spread):
    response = editor.get(reverse("assessments:list"), {"scope": "all", "place": "nowhere"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_counts_by_area_count_each_assessment_once_under_each_place(spread):
    counts = counts_by_area(Assessment.objects.all())
    # Counted here from the rows themselves, independently of the selector.
    expected: dict[str, int] = {}
    for assessment in Assessment.objects.prefetch_related("local_authorities"):
        if assessment.london_wide:
            expected["london"] = expected.get("london", 0) + 1
        for authority in assessment.local_authorities.all():
            expected[authority.gss_code] = expected.get(authority.gss_code, 0) + 1
    assert counts == expected == {NEWHAM: 2, HACKNEY: 1, CAMDEN: 1, "london": 1}


def test_counts_by_area_take_one_query_and_respect_the_queryset(spread, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = counts_by_area(Assessment.objects.filter(title__in=["Both", "Camden"]))
    assert counts == {NEWHAM: 1, HACKNEY: 1, CAMDEN: 1}


def test_the_names_of_places_read_with_each_assessment_are_its_own(spread):
    """The subquery is built once and shared: each query still reads each assessment's own places."""
    from assessments.places import place_names, with_place_names

    both = with_place_names(Assessment.objects.all()).get(pk=spread["both"].pk)
    camden = with_place_names(Assessment.objects.all()).get(pk=spread["camden"].pk)
    together = {
        a.title: place_names(a) for a in with_place_names(Assessment.objects.filter(london_wide=False))
    }
    assert (place_names(both), place_names(camden)) == (["Hackney", "Newham"], ["Camden"])
    assert together == {
        "Newham": ["Newham"],
        "Both": ["Hackney", "Newham"],
        "Camden": ["Camden"],
        "Nowhere": [],
    }
