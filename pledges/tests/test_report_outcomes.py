"""The report's outcomes, challenges and sustainability come from the signed-off outcome reviews
of the work linked to each commitment."""

import pytest
from django.urls import reverse

from outcomes import services as outcome_services
from outcomes.tests.factories import complete_data, make_due, predicted_assessment
from pledges.models import AssessmentCommitment, commitment_key
from pledges.periods import FinancialYear
from pledges.selectors import report_draft
from pledges.tests.factories import make_pledge

pytestmark = pytest.mark.django_db


def test_a_signed_off_outcome_review_fills_its_commitments_outcomes_challenges_and_sustainability(
    staff_user, sign_off, user_factory
):
    from thrive_edi.roles import Role

    version = make_pledge(commitments=2)
    first = version.commitments.order_by("number").first()
    assessment = sign_off(predicted_assessment(staff_user))
    AssessmentCommitment.objects.create(assessment=assessment, commitment=first)
    review = make_due(assessment.outcome_review)
    review = outcome_services.outcome_review_save(
        review=review, user=staff_user, revision=review.revision, data=complete_data(review), submit=True
    ).review
    checker = user_factory(username="erin", role=Role.APPROVER)
    outcome_services.outcome_review_sign_off(review=review, user=checker, declaration=True)

    document = report_draft(FinancialYear.current())
    by_key = {c["key"]: c for pledge in document["pledges"] for c in pledge["commitments"]}
    served, other = by_key[commitment_key(version.pledge_id, 1)], by_key[commitment_key(version.pledge_id, 2)]
    link = reverse("outcomes:review", args=[assessment.reference])
    assert served["challenges"] == [{"text": "Venues were hard to find.", "url": link}]
    assert served["sustainability"] == [{"text": "The borough funds it.", "url": link}]
    (turned_out,) = served["outcomes"]
    names = [row.characteristic_name for row in review.impacts.all()]
    assert names and all(name in turned_out["text"] for name in names)
    assert other["challenges"] == other["sustainability"] == other["outcomes"] == []


def test_the_report_counts_the_years_signed_off_work_by_where_it_takes_place(staff_user, sign_off):
    from assessments.tests.factories import fill_assessment, make_assessment
    from places.models import LocalAuthority

    version = make_pledge(commitments=1)
    commitment = version.commitments.get()
    newham, hackney = LocalAuthority.objects.get(name="Newham"), LocalAuthority.objects.get(name="Hackney")
    made = []
    for title, london_wide, places in (
        ("Both boroughs", False, [newham, hackney]),
        ("Newham only", False, [newham]),
        ("Everywhere", True, []),
    ):
        assessment = make_assessment(staff_user, title=title)
        assessment.london_wide = london_wide
        assessment.save(update_fields=["london_wide"])
        assessment.local_authorities.set(places)
        made.append(sign_off(fill_assessment(assessment, user=staff_user)))
    for assessment in made:
        AssessmentCommitment.objects.create(assessment=assessment, commitment=commitment)
    make_assessment(staff_user, title="Not linked")  # not in the report

    document = report_draft(FinancialYear.current())
    (table,) = [table for table in document["tables"] if table["slug"] == "places"]
    assert table["rows"][0] == ("London-wide", 1)
    assert dict(table["rows"][1:]) == {"Hackney": 1, "Newham": 2}
