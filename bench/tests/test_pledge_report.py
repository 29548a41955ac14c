import pytest

from assessments.models import Assessment
from bench import pledge_report
from bench.seed import seed_demo
from pledges.models import AssessmentCommitment

pytestmark = pytest.mark.django_db


def test_the_benchmark_links_every_signed_off_assessment_once_and_counts_the_report(settings):
    seed_demo(assessments=20, signed_off=12, force=True)
    first = pledge_report.counts()
    assert pledge_report._link_everything() == 0  # nothing left to link
    signed = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
    assert set(AssessmentCommitment.objects.values_list("assessment", flat=True)) == set(
        signed.values_list("pk", flat=True)
    )
    assert isinstance(first["page"], int) and isinstance(first["pdf"], int)
    rows = pledge_report.rows(
        first,
        first,
        {
            "render_seconds": 1.0,
            "assessment_seconds": 1.0,
            "report_pages": 3,
            "assessment_pages": 3,
            "page_seconds": 0.1,
            "draft_seconds": 0.1,
            "pdf_request_seconds": 1.0,
            "assessment_actions": 0,
            "in_report": first["in_report"],
        },
    )
    assert [met for *_, met in rows][:2] == [True, True]


def _seed(assessments: int, signed_off: int, reviews: int) -> dict:
    """The benchmark's data and outcome reviews, then the report's queries counted."""
    seed_demo(assessments=assessments, signed_off=signed_off, force=True)
    pledge_report.outcomes(reviews)
    return pledge_report.counts()


def test_the_report_page_and_its_pdf_read_as_many_queries_at_four_times_the_work_and_outcome_reviews():
    small = _seed(assessments=10, signed_off=20, reviews=10)
    large = _seed(assessments=40, signed_off=80, reviews=60)
    assert small["in_report"] > 0 and large["in_report"] >= 3 * small["in_report"]
    assert (small["outcome_reviews"], large["outcome_reviews"]) == (10, 60)
    assert small["outcome_items"] > 0 and small["outcome_items"] * 3 <= large["outcome_items"]
    assert isinstance(small["page"], int) and isinstance(small["pdf"], int)
    assert (large["page"], large["pdf"]) == (small["page"], small["pdf"])
