"""Every date a user types on the assessment pages is the GOV.UK date input: three boxes, one hint."""

from datetime import date

import pytest
from django.urls import reverse

from assessments.models import Action, Answer, ParticipationEntry
from assessments.tests.factories import add_action, section_data, section_url
from thrive_edi.forms import DATE_HINT, REAL_DATE_MESSAGE
from thrive_edi.tests.html_tree import page_tree


def date_boxes(page: str, name: str):
    """The day, month and year boxes of the date field ``name``, and the fieldset holding them."""
    tree = page_tree(page)
    boxes = [tree.find_all("input", name=f"{name}_{part}") for part in range(3)]
    assert all(len(found) == 1 for found in boxes), f"{name} is not drawn as three boxes"
    boxes = [found[0] for found in boxes]
    for box in boxes:
        assert {"govuk-input", "govuk-date-input__input"} <= box.classes
        assert box.attrs.get("type") == "text"
        assert box.ancestor("govuk-date-input") is not None
    fieldset = boxes[0].ancestor("govuk-fieldset")
    assert fieldset is not None
    return boxes, fieldset


def assert_date_input(page: str, name: str) -> None:
    _boxes, fieldset = date_boxes(page, name)
    hints = fieldset.find_all(css="govuk-hint")
    assert [hint.text for hint in hints] == [DATE_HINT]
    assert 'type="date"' not in page


def assert_real_date_message_beside(page: str, name: str, typed=("31", "2", "2027")) -> None:
    boxes, fieldset = date_boxes(page, name)
    messages = [m.text for m in fieldset.find_all(css="govuk-error-message")]
    assert any(REAL_DATE_MESSAGE in message for message in messages), messages
    assert fieldset.parent.classes >= {"govuk-form-group", "govuk-form-group--error"}
    assert [box.attrs.get("value") for box in boxes] == list(typed)
    assert all("govuk-input--error" in box.classes for box in boxes)


def typed(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def test_the_review_date_is_three_boxes_that_accept_a_uk_date(editor, assessment):
    url = section_url(assessment, "monitoring")
    assert_date_input(editor.get(url).content.decode(), "q-review_date")
    editor.post(url, section_data(assessment, "monitoring", typed("q-review_date", "27", "3", "2027")))
    assert Answer.objects.get(question__key="review_date").value == "2027-03-27"


def test_an_impossible_review_date_is_refused_beside_the_boxes(editor, assessment):
    url = section_url(assessment, "monitoring")
    response = editor.post(
        url, section_data(assessment, "monitoring", typed("q-review_date", "31", "2", "2027"))
    )
    assert response.status_code == 200
    assert_real_date_message_beside(response.content.decode(), "q-review_date")


@pytest.mark.parametrize(
    ("section_key", "name", "model", "field"),
    [
        ("participation", "participation-0-when", ParticipationEntry, "when"),
        ("actions", "actions-0-due_date", Action, "due_date"),
    ],
)
def test_the_dates_of_rows_are_three_boxes_that_accept_a_uk_date(
    editor, assessment, section_key, name, model, field
):
    editor.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    url = section_url(assessment, section_key)
    assert_date_input(editor.get(f"{url}?add=1").content.decode(), name)
    data = section_data(assessment, section_key, typed(name, "27", "3", "2027"), adding=True)
    editor.post(url, data)
    assert getattr(model.objects.get(assessment=assessment), field) == date(2027, 3, 27)


@pytest.mark.parametrize(
    ("section_key", "name", "other"),
    [
        ("participation", "participation-0-when", ("participation-0-who", "Carers' forum")),
        ("actions", "actions-0-due_date", ("actions-0-issue", "No interpreters.")),
    ],
)
def test_an_impossible_date_in_a_row_is_refused_beside_it_and_keeps_the_row_as_typed(
    editor, assessment, section_key, name, other
):
    editor.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    data = section_data(
        assessment, section_key, {**typed(name, "31", "2", "2027"), other[0]: other[1]}, adding=True
    )
    response = editor.post(section_url(assessment, section_key), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert_real_date_message_beside(page, name)
    assert other[1].replace("'", "&#x27;") in page


def test_the_action_update_page_uses_the_same_date_input(editor, assessment):
    action = add_action(assessment)
    url = reverse("assessments:action_follow_up", args=[assessment.reference, action.pk])
    assert_date_input(editor.get(url).content.decode(), "due_date")
    response = editor.post(
        url, {"status": "open", "progress_notes": "", **typed("due_date", "31", "2", "2027")}
    )
    assert response.status_code == 200
    assert_real_date_message_beside(response.content.decode(), "due_date")
    editor.post(url, {"status": "open", "progress_notes": "", **typed("due_date", "27", "3", "2027")})
    action.refresh_from_db()
    assert action.due_date == date(2027, 3, 27)


def test_the_review_date_question_is_announced_once(editor, assessment):
    tree = page_tree(editor.get(section_url(assessment, "monitoring")).content.decode())
    question = "When will this assessment be reviewed?"
    legends = [legend for legend in tree.find_all("legend") if legend.text == question]
    assert len(legends) == 1
    fieldset = legends[0].parent
    assert fieldset.ancestor("govuk-fieldset") is None
    assert not fieldset.find_all("fieldset")
