"""A signed-off outcome review as a tagged PDF, made from its own signed document, for whoever
may read the assessment."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from outcomes import services as outcome_services
from outcomes.models import ImpactOutcome, OutcomeReview
from outcomes.selectors import public_outcomes
from outcomes.tests.factories import complete_data, make_due, predicted_assessment
from reporting.tests.pdf_checks import (
    characters_outside_the_page,
    comparable,
    fonts_with_custom_encoding,
    header_cell_scopes,
    missing_glyphs,
    pdftotext,
)
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

EVIDENCE = "Attendance registers kept by Zoë Ñúñez at Stratford library."
CHALLENGES = "Two venues closed; sessions moved to the Carpenters Estate hall."
SUSTAINABILITY = "Newham's carers' service funds the groups from April."
VOICES = "Participants asked for a Saturday group."


@pytest.fixture
def signer(user_factory):
    return user_factory(username="erin", role=Role.APPROVER, first_name="Erin", last_name="Quaye")


@pytest.fixture
def submitted(staff_user, sign_off) -> OutcomeReview:
    assessment = sign_off(predicted_assessment(staff_user))
    review = make_due(assessment.outcome_review)
    data = complete_data(review, result="worse") | {
        "challenges": CHALLENGES,
        "sustainability": SUSTAINABILITY,
        "voices": VOICES,
    }
    data |= {key: EVIDENCE for key in data if key.endswith("_evidence")}
    return outcome_services.outcome_review_save(
        review=review, user=staff_user, revision=review.revision, data=data, submit=True
    ).review


@pytest.fixture
def signed_review(submitted, signer) -> OutcomeReview:
    return outcome_services.outcome_review_sign_off(review=submitted, user=signer, declaration=True)


def _url(review) -> str:
    return reverse("reporting:outcome_review_pdf", args=[review.assessment.reference])


def _pdf(client, review) -> bytes:
    response = client.get(_url(review))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "outcome-review.pdf" in response["Content-Disposition"]
    return response.content


def test_the_pdf_holds_the_signed_review_and_its_fingerprints(client, staff_user, signed_review):
    client.force_login(staff_user)
    text = comparable(pdftotext(_pdf(client, signed_review)))

    assessment = signed_review.assessment
    for expected in (
        assessment.reference,
        assessment.title,
        assessment.snapshot.sha256,
        signed_review.sha256,
        "Erin Quaye",
        "Worse than expected",
        "It partly worked",
        EVIDENCE,
        CHALLENGES,
        SUSTAINABILITY,
        VOICES,
        *(row.characteristic_name for row in signed_review.impacts.all()),
    ):
        assert comparable(expected) in text, expected


def test_the_pdf_is_tagged_titled_in_english_and_every_header_cell_has_a_scope(
    client, board_user, signed_review
):
    client.force_login(board_user)
    with missing_glyphs() as missing:
        data = _pdf(client, signed_review)
    assert not missing
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assessment = signed_review.assessment
    assert reader.metadata.title == f"Outcome review of {assessment.reference}: {assessment.title}"
    assert not fonts_with_custom_encoding(data)
    assert not characters_outside_the_page(data)
    scopes = header_cell_scopes(data)
    assert scopes and None not in scopes


def test_the_pdf_is_made_from_the_signed_document_not_the_live_rows(client, staff_user, signed_review):
    # Behind the service's back: the rows change, the signed document does not.
    ImpactOutcome.objects.filter(review=signed_review).update(evidence="Rewritten afterwards.")
    client.force_login(staff_user)
    text = comparable(pdftotext(_pdf(client, signed_review)))
    assert comparable(EVIDENCE) in text
    assert comparable("Rewritten afterwards.") not in text


def test_an_altered_signed_review_gives_no_pdf(client, staff_user, signed_review):
    OutcomeReview.objects.filter(pk=signed_review.pk).update(
        document=signed_review.document.replace("Two venues", "No venues")
    )
    client.force_login(staff_user)
    response = client.get(_url(signed_review))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "no longer matches its fingerprint" in response.text
    assert "safe and unchanged" not in response.text


def test_the_admins_are_told_once_of_an_altered_signed_review(
    client, staff_user, admin_user_with_role, signed_review, django_capture_on_commit_callbacks
):
    OutcomeReview.objects.filter(pk=signed_review.pk).update(
        document=signed_review.document.replace("Two venues", "No venues")
    )
    reference = signed_review.assessment.reference
    client.force_login(staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url(signed_review)).status_code == 409
        assert public_outcomes(signed_review.assessment) is None
        assert client.get(_url(signed_review)).status_code == 409
    [told] = [message for message in mail.outbox if admin_user_with_role.email in message.to]
    assert told.subject == f"The PDF of the outcome review of {reference} could not be made"
    assert "does not match its fingerprint" in told.body
    assert reverse("admin:outcomes_outcomereview_change", args=[signed_review.pk]) in told.body


def test_a_review_not_yet_signed_off_has_no_pdf(client, staff_user, signer, board_user, submitted):
    for user in (staff_user, signer, board_user):
        client.force_login(user)
        assert client.get(_url(submitted)).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_other_methods_are_refused(client, staff_user, signed_review):
    response = client.get(_url(signed_review))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    client.force_login(staff_user)
    assert client.post(_url(signed_review)).status_code == 405


def test_an_unknown_assessment_gives_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("reporting:outcome_review_pdf", args=["EIA-2026-9999"])).status_code == 404


def test_the_assessment_and_board_pages_link_to_it_once_signed_off(
    client, board_user, staff_user, submitted, signer
):
    reference = submitted.assessment.reference
    link = _url(submitted)
    client.force_login(staff_user)
    assert link not in client.get(reverse("assessments:detail", args=[reference])).content.decode()
    outcome_services.outcome_review_sign_off(review=submitted, user=signer, declaration=True)
    assert link in client.get(reverse("assessments:detail", args=[reference])).content.decode()
    client.force_login(board_user)
    assert link in client.get(reverse("assessments:detail", args=[reference])).content.decode()
    assert link in client.get(reverse("reporting:board_assessment", args=[reference])).content.decode()
