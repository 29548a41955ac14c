"""Every rule failure links, from every section, to an element drawn on that section's page:
the "fix this" links of the section's error summary and of check your answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.kinds import row_kinds
from assessments.models import Answer, ImpactRating, IntersectionalImpact, SectionProgress, SubgroupRating
from assessments.rules import (
    DECISION_QUESTION,
    REVIEW_DATE_QUESTION,
    assessment_failures,
)
from assessments.selectors import assessment_content
from assessments.tests.factories import break_down_race, make_assessment, section_data, section_url
from frameworks.scales import Decision, Impact
from thrive_edi.tests.html_tree import page_tree


def _answer(assessment, key: str, value, user) -> None:
    question = next(
        q for qs in assessment_content(assessment).questions_by_section.values() for q in qs if q.key == key
    )
    Answer.objects.update_or_create(
        assessment=assessment, question=question, defaults={"value": value, "updated_by": user}
    )


def started(user):
    """A new draft whose sections can all be opened: those others wait for are started."""
    assessment = make_assessment(user)
    content = assessment_content(assessment)
    for kind in row_kinds():
        if kind.needs_started_first:
            first = content.section_holding(kind.needs_started_first)
            SectionProgress.objects.get_or_create(assessment=assessment, section=first)
    return assessment


def with_blank_rows(user):
    """A new draft with a blank stored row of each kind users add: every field rule of a row fails."""
    assessment = started(user)
    for kind in row_kinds():
        if kind.adds_rows:
            kind.model.objects.create(assessment=assessment)
    break_down_race(assessment, fill=False)  # the ethnic groups' rows, chosen and blank
    return assessment


def with_what_more_is_asked(user):
    """Impacts that ask for mitigation, justification and actions (an ethnic group's too), a data
    gap with no note, a review date past, a decision that asks for a justification."""
    assessment = started(user)
    ratings = list(ImpactRating.objects.filter(assessment=assessment).order_by("pk"))
    ImpactRating.objects.filter(pk=ratings[0].pk).update(impact=Impact.SIGNIFICANT_NEGATIVE, data_gap=True)
    ImpactRating.objects.filter(pk=ratings[1].pk).update(impact=Impact.NEGATIVE)
    IntersectionalImpact.objects.create(assessment=assessment, impact=Impact.NEGATIVE, evidence="Survey")
    _answer(assessment, REVIEW_DATE_QUESTION, (timezone.localdate() - timedelta(days=1)).isoformat(), user)
    _answer(assessment, DECISION_QUESTION, Decision.CONTINUE_WITH_JUSTIFICATION.value, user)
    first, second, third, *_ = break_down_race(assessment, fill=False)
    SubgroupRating.objects.filter(pk=first.pk).update(relevant=True)  # no impact, no evidence
    SubgroupRating.objects.filter(pk=second.pk).update(relevant=False)  # no reason
    SubgroupRating.objects.filter(pk=third.pk).update(relevant=True, impact=Impact.NEGATIVE)  # no action
    return assessment


@pytest.mark.django_db
@pytest.mark.parametrize("state", [with_blank_rows, with_what_more_is_asked])
def test_every_rule_failure_links_to_an_element_on_its_section_page(editor, staff_user, state):
    assessment = state(staff_user)
    content = assessment_content(assessment)
    failures = assessment_failures(content)
    pages = {}
    for failure in failures:
        if failure.section_key not in pages:
            response = editor.get(section_url(assessment, failure.section_key))
            assert response.status_code == 200
            pages[failure.section_key] = page_tree(response.content.decode())
        assert pages[failure.section_key].by_id(failure.anchor) is not None, (failure.section_key, failure)
    # Every section holding rows has rules that failed, and so did the questions.
    sections = {failure.section_key for failure in failures}
    held = {kind.structured for kind in row_kinds()}
    assert held <= {s.structured for s in content.sections if s.key in sections}
    assert any(failure.field.startswith("q-") for failure in failures)


@pytest.mark.django_db
def test_every_rule_failure_is_drawn_for_its_own_fields(editor, staff_user):
    """Between them, the states above make every rule of a row fail at least once: each field a
    rule names on a row is a field of its kind's form."""
    failures = [
        *assessment_failures(assessment_content(with_blank_rows(staff_user))),
        *assessment_failures(assessment_content(with_what_more_is_asked(staff_user))),
    ]
    for kind in row_kinds():
        fields = {f.field for f in failures if f.prefix.startswith(f"{kind.prefix}-")}
        assert fields, kind.prefix
        assert fields <= set(kind.formset_class.form.base_fields), kind.prefix


@pytest.mark.django_db
@pytest.mark.parametrize("state", [with_blank_rows, with_what_more_is_asked])
def test_every_link_of_a_section_s_error_summary_lands_on_that_page(editor, staff_user, state):
    assessment = state(staff_user)
    checked = 0
    for section in assessment_content(assessment).sections:
        data = section_data(assessment, section.key, intent="continue", completed="yes")
        response = editor.post(section_url(assessment, section.key), data)
        assert response.status_code in (200, 302)
        tree = page_tree(response.content.decode())
        summaries = tree.find_all(css="govuk-error-summary")
        for summary in summaries:
            for link in summary.find_all("a"):
                assert tree.by_id(link.attrs["href"].removeprefix("#")) is not None, (section.key, link.text)
                checked += 1
    # A field already showing a mistake in what was typed shows that, not the rule's message.
    assert checked >= len(assessment_failures(assessment_content(assessment))) - 1
