"""Errors on the section pages: one summary, every error also beside its field, every link landing."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import ImpactRating, ParticipationEntry, SectionProgress
from assessments.selectors import assessment_content
from assessments.tests.factories import blank_row, date_parts, make_assessment, section_data, section_url
from frameworks.scales import Impact
from thrive_edi.tests.html_tree import page_tree


@pytest.fixture
def everything_wrong(staff_user):
    """An assessment in which every rule of every section fails."""
    assessment = make_assessment(staff_user)
    ImpactRating.objects.filter(assessment=assessment).update(
        impact=Impact.SIGNIFICANT_NEGATIVE, data_gap=True
    )
    for key in ("intersectional", "participation", "actions"):
        blank_row(assessment, key)
    impacts = assessment_content(assessment).section_by_key("impacts")
    SectionProgress.objects.create(assessment=assessment, section=impacts)  # saved once: the rest may start
    return assessment


def section_keys(assessment) -> list[str]:
    return [section.key for section in assessment_content(assessment).sections]


def changes_that_break_every_rule(key: str) -> dict:
    past = timezone.localdate() - timedelta(days=3)
    return {
        "decision": {"q-decision": "continue_with_justification"},
        "monitoring": date_parts("q-review_date", past),
        "participation": {
            "participation-0-when_0": "31",
            "participation-0-when_1": "2",
            "participation-0-when_2": "2027",
            "participation-0-what_changed": "Evening sessions.",
        },
    }.get(key, {})


def summary_links(tree) -> list[tuple[str, str]]:
    summaries = tree.find_all(css="govuk-error-summary")
    assert len(summaries) == 1, f"{len(summaries)} error summaries"
    return [(a.attrs["href"], a.text) for a in summaries[0].find_all("a")]


def test_every_error_of_every_section_is_linked_to_an_element_and_shown_beside_it(editor, everything_wrong):
    for key in section_keys(everything_wrong):
        data = section_data(everything_wrong, key, changes_that_break_every_rule(key), completed="yes")
        response = editor.post(section_url(everything_wrong, key), data)
        assert response.status_code == 200, key
        tree = page_tree(response.content.decode())
        links = summary_links(tree)
        assert links, key
        beside = [m.text.removeprefix("Error:").strip() for m in tree.find_all(css="govuk-error-message")]
        for href, message in links:
            assert href.startswith("#"), href
            target = tree.by_id(href[1:])
            assert target is not None, f"{key}: {message} links to {href}, which is not on the page"
            assert target.tag in ("input", "textarea", "select", "button"), f"{key}: {href} is a {target.tag}"
            assert any(message.endswith(text) for text in beside), (
                f"{key}: {message!r} is not beside its field"
            )


def test_a_past_review_date_marks_the_date_boxes(editor, everything_wrong):
    data = section_data(
        everything_wrong, "monitoring", changes_that_break_every_rule("monitoring"), completed="yes"
    )
    tree = page_tree(editor.post(section_url(everything_wrong, "monitoring"), data).content.decode())
    day = tree.by_id("id_q-review_date_0")
    assert "govuk-input--error" in day.classes
    fieldset = day.ancestor("govuk-fieldset")
    assert "The review date must be in the future" in fieldset.text


def test_a_row_with_an_impossible_date_keeps_and_stores_the_rest_of_what_was_typed(editor, staff_user):
    assessment = make_assessment(staff_user)
    blank_row(assessment, "participation")
    changes = {
        **changes_that_break_every_rule("participation"),
        "participation-0-who": "Carers' forum",
        "participation-0-how": "Survey",
    }
    data = section_data(assessment, "participation", changes, completed="yes")
    response = editor.post(section_url(assessment, "participation"), data)
    page = response.content.decode()
    entry = ParticipationEntry.objects.get()
    assert (entry.who, entry.how, entry.when) == ("Carers' forum", "Survey", None)
    assert "Say who took part" not in page
    assert "Enter when they took part" not in page  # the date's own message says what is wrong
    assert 'value="31"' in page


def test_every_change_and_error_link_of_check_answers_lands_on_the_section_page(editor, everything_wrong):
    check = page_tree(
        editor.get(reverse("assessments:check", args=[everything_wrong.reference])).content.decode()
    )
    pages = {}
    links = [a.attrs["href"] for a in check.find_all("a") if "#" in a.attrs.get("href", "")]
    assert len(links) > 20
    for href in links:
        path, fragment = urlsplit(href).path, urlsplit(href).fragment
        if path not in pages:
            pages[path] = page_tree(editor.get(path).content.decode())
        assert pages[path].by_id(fragment) is not None, f"{href} lands on nothing"


def test_a_new_row_kept_from_a_page_with_errors_is_not_stored_twice_when_saved_again(editor, staff_user):
    assessment = make_assessment(staff_user)
    url = section_url(assessment, "participation")
    changes = {**changes_that_break_every_rule("participation"), "participation-0-who": "Carers' forum"}
    response = editor.post(url, section_data(assessment, "participation", changes, adding=True))
    assert response.status_code == 200
    tree = page_tree(response.content.decode())
    posted = {
        element.attrs["name"]: element.attrs.get("value", "")
        for element in tree.find_all("input")
        if element.attrs.get("type") in ("hidden", "text")
    }
    (entry,) = ParticipationEntry.objects.filter(assessment=assessment)
    assert posted["participation-0-id"] == str(entry.pk)
    assert posted["participation-INITIAL_FORMS"] == "1"
    posted.update({"participation-0-when_0": "27", "participation-0-when_1": "3", "intent": "later"})
    assert editor.post(url, posted).status_code == 302
    (entry,) = ParticipationEntry.objects.filter(assessment=assessment)
    assert entry.who == "Carers' forum"
