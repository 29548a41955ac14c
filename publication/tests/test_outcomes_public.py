"""A signed-off outcome review on the public register: what happened against what was predicted,
the challenges and how the work will last; never who wrote it or what people said."""

import pytest
from django.urls import reverse

from outcomes import services as outcome_services
from outcomes.models import OutcomeReview
from outcomes.tests.factories import complete_data, make_due
from publication import services
from publication.models import Publication
from publication.tests.factories import signed_off, summarised
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

CHALLENGES = "Libraries closed early in winter, so two groups moved to a youth centre."
SUSTAINABILITY = "Newham's carers' service funds the groups from next April."
VOICES = "Amara said the Saturday group was the only place she could rest."
EVIDENCE = "Attendance registers and a survey of 48 young carers."


@pytest.fixture
def signer(user_factory):
    return user_factory(username="erin", role=Role.APPROVER, first_name="Erin", last_name="Quaye")


def _submitted(assessment, owner) -> OutcomeReview:
    review = make_due(OutcomeReview.objects.get(assessment=assessment))
    data = complete_data(review, result="better") | {
        "challenges": CHALLENGES,
        "sustainability": SUSTAINABILITY,
        "voices": VOICES,
    }
    data |= {key: EVIDENCE for key in data if key.endswith("_evidence")}
    return outcome_services.outcome_review_save(
        review=review, user=owner, revision=review.revision, data=data, submit=True
    ).review


def _sign_off(review, signer, capture):
    with capture(execute=True):
        outcome_services.outcome_review_sign_off(review=review, user=signer, declaration=True)


def _page(client, assessment) -> str:
    response = client.get(reverse("publication:summary", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_anyone_reads_what_happened_against_the_prediction_with_challenges_and_sustainability(
    client, published_assessment, staff_user, signer, django_capture_on_commit_callbacks
):
    review = _submitted(published_assessment, staff_user)
    _sign_off(review, signer, django_capture_on_commit_callbacks)

    page = _page(client, published_assessment)

    assert "What happened" in page
    [row] = review.impacts.all()
    assert row.characteristic_name in page
    assert row.predicted_label in page
    assert "Better than expected" in page
    assert CHALLENGES.replace("'", "&#x27;") in page
    assert SUSTAINABILITY.replace("'", "&#x27;") in page
    # What people said, the evidence and who wrote or signed the review stay inside the service.
    for private in ("Amara", EVIDENCE, "Quaye", staff_user.first_name, "Moved to evenings."):
        assert private not in page


def test_the_cached_page_shows_the_outcome_review_as_soon_as_it_is_signed_off(
    client, published_assessment, staff_user, signer, django_capture_on_commit_callbacks
):
    review = _submitted(published_assessment, staff_user)
    before = _page(client, published_assessment)  # cached for anonymous readers from now on
    assert "Libraries closed early" not in before  # sent for sign-off is not signed off

    _sign_off(review, signer, django_capture_on_commit_callbacks)

    assert "Libraries closed early" in _page(client, published_assessment)


def test_a_withdrawn_publication_shows_no_outcome_review(
    client, published_assessment, staff_user, signer, approver_user, django_capture_on_commit_callbacks
):
    _sign_off(_submitted(published_assessment, staff_user), signer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            publication=published_assessment.publication, user=approver_user, reason="Published by mistake."
        )
    assert "Libraries closed early" not in _page(client, published_assessment)


def test_an_unpublished_assessments_outcome_review_is_not_on_the_register(
    client, staff_user, approver_user, signer, django_capture_on_commit_callbacks
):
    hidden = signed_off(summarised(staff_user), owner=staff_user, approver=approver_user)
    services.publication_decide(
        assessment=hidden, user=approver_user, decision=Publication.Decision.NOT_PUBLISHED, reason="Internal."
    )
    _sign_off(_submitted(hidden, staff_user), signer, django_capture_on_commit_callbacks)
    assert client.get(reverse("publication:summary", args=[hidden.reference])).status_code == 404


def test_an_altered_outcome_review_is_not_shown(
    client, published_assessment, staff_user, signer, django_capture_on_commit_callbacks
):
    review = _submitted(published_assessment, staff_user)
    _sign_off(review, signer, django_capture_on_commit_callbacks)
    altered = review.__class__.objects.get(pk=review.pk).document.replace("Libraries", "Nothing")
    OutcomeReview.objects.filter(pk=review.pk).update(document=altered)
    page = _page(client, published_assessment)
    assert "Nothing closed early" not in page and "Libraries closed early" not in page
