"""The dashboard's predictions against outcomes, and the signed-off reviews other reports read,
checked against counts made here over the same rows."""

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes import selectors
from outcomes.models import ImpactOutcome, OutcomeReview
from outcomes.tests.factories import make_due, predicted_assessment, signed_off_review


@pytest.fixture
def reviewed(staff_user, other_approver, sign_off):
    first = sign_off(
        predicted_assessment(staff_user, title="One", negative=("age", "sex"), positive=("race",))
    )
    second = sign_off(predicted_assessment(staff_user, title="Two", negative=("age",), positive=("sex",)))
    unsigned = sign_off(predicted_assessment(staff_user, title="Three", negative=("age",), positive=()))
    signed_off_review(
        first, staff_user, other_approver, {"age": "worse", "sex": "as_expected", "race": "better"}
    )
    signed_off_review(second, staff_user, other_approver, {"age": "worse", "sex": "not_known"})
    make_due(unsigned.outcome_review)  # due but not written: never counted
    return first, second


NEGATIVE = ("negative", "significant_negative")


def _independent_counts():
    counted = Counter()
    for row in ImpactOutcome.objects.filter(review__status="signed_off"):
        direction = "negative" if row.predicted in NEGATIVE else "positive"
        counted[(row.characteristic_name, direction, row.result)] += 1
    return counted


def test_predictions_against_outcomes_equal_a_count_made_row_by_row(reviewed):
    counted = _independent_counts()
    figures = selectors.predictions_against_outcomes()
    shown = Counter()
    for figure in figures:
        for result in ("better", "as_expected", "worse", "not_known"):
            if getattr(figure, result):
                shown[(figure.name, figure.direction, result)] = getattr(figure, result)
    assert shown == counted
    age = next(f for f in figures if f.name == "Age" and f.direction == "negative")
    assert (age.worse, age.as_expected, age.better, age.total) == (2, 0, 0, 2)


def test_the_dashboard_shows_the_outcome_figures_in_a_data_table(client, staff_user, reviewed):
    client.force_login(staff_user)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Predictions against outcomes" in page
    table = page[page.index('id="outcomes-table"') :]
    assert '<th scope="row" class="govuk-table__header">Age</th>' in table


def testsigned_off_reviews_of_a_period_carry_what_other_reports_need(reviewed, django_assert_max_num_queries):
    today = timezone.localdate()
    with django_assert_max_num_queries(3):
        reviews = list(selectors.signed_off_reviews((today, today)))
        assert [r.assessment.title for r in reviews] == ["One", "Two"]
        assert {row.characteristic_key: row.result for row in reviews[0].impact_rows} == {
            "age": "worse",
            "sex": "as_expected",
            "race": "better",
        }
        assert reviews[0].action_rows[0].action.action == "Move sessions."
        assert reviews[0].challenges and reviews[0].sustainability
    assert not selectors.signed_off_reviews(
        (today.replace(year=today.year - 1), today.replace(year=today.year - 1))
    )
    assert OutcomeReview.objects.count() == 3
