"""What outcome reviews hold about a person: exported in full; on erasure, live pages name the
pseudonym while the signed review and its PDF keep the names they were signed off with."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.snapshots import fingerprint
from outcomes import services
from outcomes.models import OutcomeReview
from outcomes.tests.factories import complete_data
from reporting.tests.pdf_checks import comparable, pdftotext

pytestmark = pytest.mark.django_db

EVIDENCE = "The borough's survey of 48 young carers."
NOTE = "Moved to Saturday mornings after the survey."


def export(user) -> dict:
    out = io.StringIO()
    call_command("personal_data", "export", user.get_username(), stdout=out)
    return json.loads(out.getvalue())


def _written(review, user) -> OutcomeReview:
    data = complete_data(review) | {
        "challenges": "Venues closed early.",
        "sustainability": "The borough funds it.",
        "voices": "Carers asked for weekends.",
    }
    data |= {key: EVIDENCE for key in data if key.endswith("_evidence")}
    data |= {key: NOTE for key in data if key.endswith("_note")}
    return services.outcome_review_save(
        review=review, user=user, revision=review.revision, data=data, submit=True
    ).review


def test_the_export_holds_every_answer_she_wrote_in_an_outcome_review(staff_user, due_review):
    review = _written(due_review, staff_user)

    data = export(staff_user)

    reference = review.assessment.reference
    impacts = [item for item in data["outcome_answers_saved"] if item["kind"] == "predicted impact"]
    assert {(item["assessment"], item["evidence"], item["what_happened"]) for item in impacts} == {
        (reference, EVIDENCE, "As expected")
    }
    assert {item["group"] for item in impacts} == {row.characteristic_name for row in review.impacts.all()}
    [action] = [item for item in data["outcome_answers_saved"] if item["kind"] == "action"]
    assert (action["done"], action["worked"], action["note"]) == ("Done", "It partly worked", NOTE)
    [written] = data["outcome_reviews_written"]
    assert written == {
        "assessment": reference,
        "challenges": "Venues closed early.",
        "sustainability": "The borough funds it.",
        "what_the_people_involved_said": "Carers asked for weekends.",
        "updated_at": written["updated_at"],
    }


def test_after_erasure_live_pages_name_the_pseudonym_and_the_signed_review_keeps_its_names(
    client, staff_user, other_approver, due_review, user_factory
):
    from thrive_edi.roles import Role

    review = services.outcome_review_sign_off(
        review=_written(due_review, staff_user), user=other_approver, declaration=True
    )
    document = review.document
    reference = review.assessment.reference
    reader = user_factory(username="yusuf", role=Role.APPROVER, first_name="Yusuf")
    client.force_login(reader)
    pages = [
        reverse("outcomes:review", args=[reference]),
        reverse("assessments:detail", args=[reference]),
        reverse("reporting:board_assessment", args=[reference]),
    ]
    assert "Erin" in client.get(pages[0]).content.decode()

    call_command("personal_data", "erase", other_approver.get_username(), "--yes", stdout=io.StringIO())

    for url in pages:
        html = client.get(url).content.decode()
        assert "Erin" not in html, url
    assert f"Former staff member {other_approver.pk}" in client.get(pages[0]).content.decode()
    review.refresh_from_db()
    assert review.document == document and fingerprint(review.document) == review.sha256
    pdf = client.get(reverse("reporting:outcome_review_pdf", args=[reference]))
    assert comparable("Erin") in comparable(pdftotext(pdf.content))  # the signed record keeps it
