"""Reading an assessment's content: the same rows and links the database holds, in fewer queries."""

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Action, DutyContribution, IntersectionalImpact
from assessments.selectors import (
    _frozen_template,
    assessment_content,
    framework_template,
    linked_characteristics,
)
from assessments.services import content_after_saving
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import Characteristic, FrameworkVersion
from frameworks.scales import Impact, StructuredPart

pytestmark = pytest.mark.django_db


def _linked_names(content):
    """Every link of the content by name, as the rows in memory hold them."""
    return {
        "combinations": [[c.key for c in row.characteristic_list] for row in content.intersectional],
        "actions": [
            (
                [c.key for c in action.characteristic_list],
                [row.description for row in action.combination_list],
            )
            for action in content.actions
        ],
    }


def _stored_names(assessment):
    """The same links read from the database one by one, in the models' own order."""
    return {
        "combinations": [
            list(row.characteristics.values_list("key", flat=True))
            for row in IntersectionalImpact.objects.filter(assessment=assessment)
        ],
        "actions": [
            (
                list(action.characteristics.values_list("key", flat=True)),
                list(action.intersectional_impacts.values_list("description", flat=True)),
            )
            for action in Action.objects.filter(assessment=assessment).order_by("pk")
        ],
    }


@pytest.fixture
def linked_assessment(staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    characteristics = list(Characteristic.objects.filter(version=assessment.framework_version))
    # Linked against the models' order (additional groups before protected ones, last first)
    # so that an order of ids or of insertion would show.
    second = IntersectionalImpact.objects.create(
        assessment=assessment, description="Older disabled women", impact=Impact.NEGATIVE, evidence="x"
    )
    second.characteristics.set([characteristics[-1], characteristics[3], characteristics[0]])
    add_action(assessment, characteristics=[characteristics[-1], characteristics[1]], combinations=[second])
    add_action(assessment)  # no links at all
    add_action(
        assessment,
        characteristics=[characteristics[2]],
        combinations=list(IntersectionalImpact.objects.filter(assessment=assessment)),
    )
    return assessment


def test_the_content_links_the_rows_the_database_links_in_the_models_order(linked_assessment):
    content = assessment_content(linked_assessment)
    assert _linked_names(content) == _stored_names(linked_assessment)
    assert any(len(keys) == 3 for keys in _linked_names(content)["combinations"])


def test_an_action_links_the_very_combination_objects_the_content_holds(linked_assessment):
    content = assessment_content(linked_assessment)
    held = {id(row) for row in content.intersectional}
    linked = [row for action in content.actions for row in action.combination_list]
    assert linked and all(id(row) in held for row in linked)


def test_the_content_holds_the_links_django_prefetches_for_the_same_rows(linked_assessment):
    content = assessment_content(linked_assessment)
    plain = list(IntersectionalImpact.objects.filter(assessment=linked_assessment).order_by("pk"))
    plain_actions = list(Action.objects.filter(assessment=linked_assessment).order_by("pk"))
    prefetch_related_objects(plain, linked_characteristics())
    prefetch_related_objects(plain_actions, linked_characteristics())
    held = {
        (type(row), row.pk): row.characteristic_list for row in [*content.intersectional, *content.actions]
    }
    assert {(type(row), row.pk): row.characteristic_list for row in plain + plain_actions} == held
    assert any(held.values())


def test_a_frozen_template_is_read_once_and_again_when_frozen_anew(django_assert_num_queries):
    version = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)
    first, later = timezone.now(), timezone.now() + timezone.timedelta(seconds=1)
    template = framework_template(version.pk, first)
    with django_assert_num_queries(0):
        assert framework_template(version.pk, first) is template
    assert framework_template(version.pk, later) is not template
    assert _frozen_template.cache_info().maxsize is not None  # bounded, whatever runs in the process


def test_reading_the_links_takes_no_query_of_their_own(linked_assessment, django_assert_num_queries):
    content = assessment_content(linked_assessment).read_all()
    with django_assert_num_queries(0):
        _linked_names(content)


def test_a_combination_added_after_the_page_was_read_is_linked_after_saving_the_actions(
    linked_assessment,
):
    content = assessment_content(linked_assessment)
    late = IntersectionalImpact.objects.create(
        assessment=linked_assessment, description="Young Black men", impact=Impact.NEGATIVE, evidence="y"
    )
    late.characteristics.set(Characteristic.objects.filter(version=linked_assessment.framework_version)[:2])
    add_action(linked_assessment, combinations=[late])
    fresh = content_after_saving(content, content.section_holding(StructuredPart.ACTION_PLAN))
    assert _linked_names(fresh) == _stored_names(linked_assessment)
    assert ["Young Black men"] in [names for _, names in _linked_names(fresh)["actions"]]


def test_each_part_is_read_when_first_used_and_only_once(linked_assessment, django_assert_num_queries):
    content = assessment_content(linked_assessment)
    with django_assert_num_queries(2):  # the ratings, and the characteristics of an unfrozen version
        assert len(content.ratings) == len(content.ratings) > 0
    with django_assert_num_queries(1):  # the characteristics are read once
        assert len(content.intersectional) > 0
    with CaptureQueriesContext(connection) as later:
        content.read_all()
        content.read_all()
    read = [query["sql"] for query in later.captured_queries]
    assert not any('"assessments_impactrating"' in sql.split(" FROM ")[1][:40] for sql in read)
    assert sum('FROM "assessments_answer"' in sql for sql in read) == 1


def test_parts_saved_since_are_read_again_and_the_others_kept(linked_assessment):
    content = assessment_content(linked_assessment).read_all()
    duties = content.section_holding(StructuredPart.DUTY_CONTRIBUTIONS)
    assert not content.questions_by_section.get(duties.pk)
    DutyContribution.objects.filter(pk=content.duties[0].pk).update(narrative="Changed since")
    fresh = content_after_saving(content, duties)
    assert fresh.duties[0].narrative == "Changed since"
    assert fresh.answers is content.answers and fresh.ratings is content.ratings  # kept as read


def test_the_links_of_two_assessments_read_one_after_the_other_are_each_their_own(
    linked_assessment, staff_user
):
    """The subqueries of the links are built once and shared by every read."""
    other = fill_assessment(make_assessment(staff_user, title="Another"), user=staff_user)
    first, second = assessment_content(linked_assessment), assessment_content(other)
    assert _linked_names(first) == _stored_names(linked_assessment)
    assert _linked_names(second) == _stored_names(other)
    assert _linked_names(first) != _linked_names(second)


def test_the_overview_gives_each_comment_the_section_it_would_read_with_it(staff_user, approver_user):
    from assessments import lifecycle, services
    from assessments.overview import assessment_overview
    from assessments.selectors import assessment_template

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    assessment.refresh_from_db()
    sections = assessment_template(assessment).sections
    lifecycle.comment_add(assessment=assessment, user=approver_user, text="On actions.", section=sections[-1])
    lifecycle.comment_add(assessment=assessment, user=approver_user, text="On the whole.")
    given = assessment_overview(staff_user, assessment, sections)
    read = assessment_overview(staff_user, assessment)
    assert [(c.text, c.section) for c in given["open_comments"]] == [
        (c.text, c.section) for c in read["open_comments"]
    ]
    assert given["timeline"] == read["timeline"]
    assert [c.section for c in given["open_comments"]] == [sections[-1], None]
