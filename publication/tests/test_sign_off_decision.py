"""The approver decides what the public register shows with the sign-off itself, having checked
the public summary on the same page; the decision commits or rolls back with the sign-off."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Assessment, Snapshot
from assessments.services import assessment_submit
from assessments.signals import sign_off_forms_requested
from assessments.tests.factories import fill_assessment, make_assessment
from publication.forms import SignOffDecisionForm
from publication.models import Publication, PublicationEvent
from publication.services import NO_SUMMARY_MESSAGE, REASON_REQUIRED_MESSAGE
from publication.tests.factories import SUMMARY, summarised

pytestmark = pytest.mark.django_db

REASON = "An internal training course for the staff of the partnership."


def _sign_off_page(client, approver, assessment):
    client.force_login(approver)
    return reverse("assessments:sign_off", args=[assessment.reference])


def test_the_sign_off_page_shows_the_summary_to_check_and_asks_what_is_published(
    client, staff_user, approver_user
):
    assessment = summarised(staff_user)
    assessment_submit(assessment=assessment, user=staff_user)
    response = client.get(_sign_off_page(client, approver_user, assessment))
    page = response.content.decode()
    assert SUMMARY["activity"] in page and SUMMARY["involvement"] in page
    assert "What is published on the public register" in page
    (decision,) = [each for each in response.context["decisions"] if each.prefix == "publication"]
    assert decision["decision"].value() == Publication.Decision.SUMMARY
    assert 'name="publication-decision"' in page


def test_signing_off_with_the_decision_publishes_the_summary(client, staff_user, approver_user):
    assessment = summarised(staff_user)
    assessment_submit(assessment=assessment, user=staff_user)
    url = _sign_off_page(client, approver_user, assessment)
    response = client.post(url, {"declaration": "on", "publication-decision": "summary_and_pdf"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF
    publication = Publication.objects.get(assessment=assessment)
    assert publication.decision == Publication.Decision.SUMMARY_AND_PDF
    assert publication.decided_by == approver_user
    assert PublicationEvent.objects.filter(
        assessment=assessment, kind=PublicationEvent.Kind.PUBLISHED
    ).exists()
    client.logout()
    register = client.get(reverse("publication:register")).content.decode()
    assert assessment.title in register


def test_not_publishing_needs_a_reason_and_nothing_typed_is_lost(client, staff_user, approver_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    assessment_submit(assessment=assessment, user=staff_user)
    url = _sign_off_page(client, approver_user, assessment)
    page = client.get(url).content.decode()
    assert "The owner wrote no public summary" in page

    response = client.post(url, {"declaration": "on", "publication-decision": "not_published"})
    page = response.content.decode()
    assert response.status_code == 200 and REASON_REQUIRED_MESSAGE in page
    assert page.count("<title>Error:") == 1
    assert 'href="#id_publication-reason"' in page
    assert response.context["form"]["declaration"].value() is True
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW and not Snapshot.objects.exists()

    response = client.post(
        url, {"declaration": "on", "publication-decision": "not_published", "publication-reason": REASON}
    )
    assert response.status_code == 302
    publication = Publication.objects.get(assessment=assessment)
    assert (publication.decision, publication.reason) == (Publication.Decision.NOT_PUBLISHED, REASON)
    client.logout()
    register = client.get(reverse("publication:register")).content.decode()
    assert REASON in register  # a decision not to publish is listed, with its reason


def test_publishing_without_a_summary_is_refused_before_anything_is_signed(client, staff_user, approver_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    assessment_submit(assessment=assessment, user=staff_user)
    url = _sign_off_page(client, approver_user, assessment)
    response = client.post(url, {"declaration": "on", "publication-decision": "summary"})
    assert NO_SUMMARY_MESSAGE in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert not Publication.objects.exists() and not Snapshot.objects.exists()


class _Refusing(SignOffDecisionForm):
    """A decision that is valid on the page but refused when written."""

    def apply(self, *, assessment, user):
        raise ValidationError("The register is closed for maintenance.")


def test_a_decision_refused_while_written_undoes_the_whole_sign_off(client, staff_user, approver_user):
    assessment = summarised(staff_user)
    assessment_submit(assessment=assessment, user=staff_user)

    def refusing(sender, data, **kwargs):
        return _Refusing(data, summary=None, prefix="refusing")

    sign_off_forms_requested.connect(refusing, dispatch_uid="test.refusing")
    try:
        url = _sign_off_page(client, approver_user, assessment)
        response = client.post(
            url,
            {
                "declaration": "on",
                "publication-decision": "summary",
                "refusing-decision": "not_published",
                "refusing-reason": REASON,
            },
        )
    finally:
        sign_off_forms_requested.disconnect(dispatch_uid="test.refusing")
    assert response.status_code == 200
    assert "The register is closed for maintenance." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert not Snapshot.objects.exists() and not Publication.objects.exists()
