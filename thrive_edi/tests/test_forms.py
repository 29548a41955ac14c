"""Shared form pieces: the quick select draws what Django's select draws."""

import re
from datetime import date

import pytest
from django import forms

from thrive_edi.forms import DATE_HINT, REAL_DATE_MESSAGE, QuickSelect, UKDateField, style_filter_fields


def _normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [("", "Anyone"), ("1", "Amaka O'Neil & <Co>"), ("2", "Zainab “Zee” Ali"), (3, "Ελένη")]


@pytest.mark.parametrize("value", [None, "", "1", "2", 3, "missing"])
def test_a_quick_select_draws_the_same_html_as_django(value):
    attrs = {"class": "govuk-select", "id": "id_owner", "aria-describedby": "owner-hint", "required": True}
    django = forms.Select(attrs=attrs, choices=CHOICES).render("owner", value)
    quick = QuickSelect(attrs=attrs, choices=CHOICES).render("owner", value)
    assert _normalised(quick) == _normalised(django)
    assert "&lt;Co&gt;" in quick and "O&#x27;Neil" in quick


@pytest.mark.parametrize("value", [None, "", "1", "2", "missing"])
def test_a_quick_select_draws_option_groups_as_django_does(value):
    grouped = [("", "Anywhere"), ("North & <East>", [("1", "Barnet")]), ("South", [("2", "Croydon")])]
    django = forms.Select(choices=grouped).render("borough", value)
    quick = QuickSelect(choices=grouped).render("borough", value)
    assert _normalised(quick) == _normalised(django)
    assert '<optgroup label="North &amp; &lt;East&gt;">' in quick


@pytest.mark.django_db
def test_filter_fields_get_quick_selects_with_their_options_read_in_one_query(
    user_factory, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    user_factory(username="amaka", first_name="Amaka")
    user_factory(username="zainab", first_name="Zainab")

    class PeopleFilter(forms.Form):
        who = forms.ModelChoiceField(get_user_model().objects.order_by("username"), empty_label="Anyone")
        status = forms.ChoiceField(choices=[("open", "Open"), ("done", "Done")])
        words = forms.CharField()

    form = PeopleFilter()
    with django_assert_num_queries(1):
        style_filter_fields(form)
    with django_assert_num_queries(0):
        html = str(form["who"]) + str(form["status"]) + str(form["words"])
    assert isinstance(form.fields["who"].widget, QuickSelect)
    assert re.findall(r'<option value="([^"]*)"', html)[:3] == [
        "",
        str(get_user_model().objects.get(username="amaka").pk),
        str(get_user_model().objects.get(username="zainab").pk),
    ]
    assert 'class="govuk-select"' in html and 'class="govuk-input"' in html


@pytest.mark.django_db
def test_templates_name_a_person_by_full_name_else_username_and_nobody_as_nothing(user_factory):
    from django.template import engines

    named = user_factory(username="amaka", first_name="Amaka", last_name="Obi")
    unnamed = user_factory(username="zee", first_name="", last_name="")
    draw = engines["django"].from_string("{{ a|person_name }}/{{ b|person_name }}/{{ c|person_name }}")
    assert draw.render({"a": named, "b": unnamed, "c": None}) == "Amaka Obi/zee/"


class _DateForm(forms.Form):
    day = UKDateField(label="Meeting date")


@pytest.mark.parametrize("typed", [("27", "3", "2027"), (" 27 ", "03", "2027")])
def test_a_uk_date_is_read_from_its_three_boxes(typed):
    form = _DateForm({"day_0": typed[0], "day_1": typed[1], "day_2": typed[2]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2027, 3, 27)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "2", "2027"), REAL_DATE_MESSAGE),
        (("x", "2", "2027"), REAL_DATE_MESSAGE),
        (("1", "13", "2027"), REAL_DATE_MESSAGE),
        (("1", "2", "99999999999"), REAL_DATE_MESSAGE),
        (("1", "2", "27"), "The year must include 4 numbers"),
        (("", "2", "2027"), "The date must include a day"),
        (("", "", ""), "Enter the meeting date"),
    ],
)
def test_a_date_that_is_not_real_gets_a_plain_message(typed, message):
    form = _DateForm({"day_0": typed[0], "day_1": typed[1], "day_2": typed[2]})
    assert not form.is_valid()
    assert form.errors["day"] == [message]


def test_a_uk_date_field_draws_the_gov_uk_date_input_with_its_hint():
    html = str(_DateForm()["day"])
    assert html.count('class="govuk-input govuk-date-input__input') == 3
    assert 'inputmode="numeric"' in html
    assert _DateForm().fields["day"].help_text == DATE_HINT == "For example, 27 3 2027"
