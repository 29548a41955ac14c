"""The error summaries of the assessment pages outside the sections link to elements on the page."""

from django.urls import reverse

from assessments.tests.factories import add_action, make_assessment
from thrive_edi.tests.html_tree import page_tree


def assert_links_land(page: str) -> None:
    tree = page_tree(page)
    (summary,) = tree.find_all(css="govuk-error-summary")
    links = [a.attrs["href"] for a in summary.find_all("a")]
    assert links
    for href in links:
        target = tree.by_id(href.removeprefix("#"))
        assert target is not None and target.tag in ("input", "textarea", "select"), href


def test_the_create_page_links_each_error_to_its_field(editor):
    assert_links_land(editor.post(reverse("assessments:create"), {}).content.decode())


def test_the_action_update_page_links_each_error_to_its_field(editor, staff_user):
    assessment = make_assessment(staff_user)
    action = add_action(assessment)
    url = reverse("assessments:action_follow_up", args=[assessment.reference, action.pk])
    response = editor.post(url, {"due_date_0": "31", "due_date_1": "2", "due_date_2": "2027"})
    assert_links_land(response.content.decode())
