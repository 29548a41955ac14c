"""A "no assessment needed" decision on the public register: the approver decides what is
published while confirming the screening, and Londoners read its justification in place of a
public summary (there is none, nor an Easy Read version)."""

import json

import feedparser
import pytest
from django.urls import reverse

from assessments import screening
from assessments.models import Assessment, Screening
from assessments.services import assessment_create
from frameworks.scales import ActivityType
from outcomes.models import OutcomeReview
from publication import services
from publication.forms import NO_ASSESSMENT_DECISION_LABELS
from publication.models import Publication
from publication.services import REASON_REQUIRED_MESSAGE
from publication.tests.factories import signed_off, summarised
from reporting.tests.pdf_checks import comparable, pdftotext

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The same leaflet reprinted in the same six languages: nothing changes for anyone."
TITLE = "Reprint of the wellbeing leaflet"


def sent_for_confirmation(owner) -> Assessment:
    assessment = assessment_create(
        owner=owner, title=TITLE, activity_type=ActivityType.CAMPAIGN, screening=True, london_wide=True
    )
    screening.screening_save(
        assessment=assessment, user=owner, who="Visitors to two libraries.", changes=False, changes_note="",
        groups=[], reach="few", crisis=False, decision=Assessment.Scope.NONE, justification=JUSTIFICATION,
    )  # fmt: skip
    return screening.screening_send(assessment=assessment, user=owner)


def confirm_url(assessment) -> str:
    return reverse("assessments:screening_confirm", args=[assessment.reference])


def test_the_confirmation_shows_the_justification_to_check_and_asks_what_is_published(
    client, staff_user, approver_user
):
    assessment = sent_for_confirmation(staff_user)
    client.force_login(approver_user)
    response = client.get(confirm_url(assessment))
    page = response.content.decode()
    assert "What is published on the public register" in page
    assert "Why no assessment is needed" in page and JUSTIFICATION in page
    (decision,) = [form for form in response.context["decisions"] if form.prefix == "publication"]
    assert decision["decision"].value() == Publication.Decision.SUMMARY
    assert NO_ASSESSMENT_DECISION_LABELS[Publication.Decision.SUMMARY] in page
    # Nothing was predicted, so there are no outcomes to review: the date is not asked.
    assert not [form for form in response.context["decisions"] if form.prefix == "outcomes"]
    assert 'name="outcomes-due_on' not in page


def test_a_wrong_confirmation_says_each_problem_once_and_keeps_what_was_typed(
    client, staff_user, approver_user
):
    assessment = sent_for_confirmation(staff_user)
    client.force_login(approver_user)
    url = confirm_url(assessment)

    response = client.post(url, {"intent": "confirm", "publication-decision": "not_published"})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<title>Error:") == 1
    errors = page[page.index("govuk-error-summary") : page.index("</ul>", page.index("govuk-error-summary"))]
    assert REASON_REQUIRED_MESSAGE in errors and "Confirm the declaration to sign off" in errors
    assert 'href="#id_publication-reason"' in errors
    assert response.context["decisions"][0]["decision"].value() == "not_published"

    response = client.post(
        url, {"intent": "confirm", "declaration": "on", "publication-decision": "not_published"}
    )
    assert REASON_REQUIRED_MESSAGE in response.content.decode()
    assert response.context["confirm_form"]["declaration"].value() is True

    typed = "It names the two library assistants who translated it."
    response = client.post(
        url, {"intent": "confirm", "publication-decision": "not_published", "publication-reason": typed}
    )
    page = response.content.decode()
    assert typed in page and REASON_REQUIRED_MESSAGE not in page
    assessment.refresh_from_db()
    assert (assessment.status, assessment.screening_status) == ("draft", Assessment.Screening.SENT)
    assert not Publication.objects.exists()

    response = client.post(
        url,
        {
            "intent": "confirm",
            "declaration": "on",
            "publication-decision": "not_published",
            "publication-reason": typed,
        },
    )
    assert response.status_code == 302
    assert Publication.objects.get(assessment=assessment).reason == typed


def test_a_published_no_assessment_decision_is_on_the_register_with_its_justification(
    client, staff_user, approver_user, django_capture_on_commit_callbacks
):
    assessment = sent_for_confirmation(staff_user)
    client.force_login(approver_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            confirm_url(assessment),
            {"intent": "confirm", "declaration": "on", "publication-decision": "summary"},
        )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF
    publication = Publication.objects.get(assessment=assessment)
    assert (publication.decision, publication.decided_by) == (Publication.Decision.SUMMARY, approver_user)
    assert not OutcomeReview.objects.filter(assessment=assessment).exists()

    client.logout()
    register = client.get(reverse("publication:register"))
    assert register.status_code == 200
    listing = register.content.decode()
    assert TITLE in listing and "No assessment needed" in listing and JUSTIFICATION in listing
    found = client.get(reverse("publication:register"), {"q": "six languages"}).content.decode()
    assert TITLE in found

    entry = client.get(reverse("publication:summary", args=[assessment.reference]))
    assert entry.status_code == 200
    page = entry.content.decode()
    assert JUSTIFICATION in page and "Why no assessment is needed" in page
    assert "No assessment needed" in page
    assert reverse("publication:easy_read", args=[assessment.reference]) not in page
    assert staff_user.first_name not in page and approver_user.first_name not in page
    assert client.get(reverse("publication:easy_read", args=[assessment.reference])).status_code == 404
    assert client.get(reverse("publication:easy_read_pdf", args=[assessment.reference])).status_code == 404

    data = client.get(reverse("publication:summary_pdf", args=[assessment.reference])).content
    assert comparable(JUSTIFICATION) in comparable(pdftotext(data))
    feed = feedparser.parse(client.get(reverse("publication:feed")).content)
    assert [entry.summary for entry in feed.entries] == [JUSTIFICATION]
    (record,) = json.loads(client.get(reverse("publication:json")).content)["records"]
    assert (record["why_no_assessment_needed"], record["decision"], record["easy_read_url"]) == (
        JUSTIFICATION,
        "No assessment needed",
        "",
    )
    assert client.get(reverse("publication:csv")).status_code == 200


def test_the_justification_of_a_screening_that_went_on_to_an_assessment_is_never_public(
    client, staff_user, approver_user
):
    draft = summarised(staff_user, title="Young carers peer support")
    Screening.objects.create(assessment=draft, justification="An internal note about six languages.")
    shown = signed_off(draft, owner=staff_user, approver=approver_user)
    services.publication_decide(assessment=shown, user=approver_user, decision=Publication.Decision.SUMMARY)

    assert "Young carers" in client.get(reverse("publication:register")).content.decode()
    found = client.get(reverse("publication:register"), {"q": "six languages"}).content.decode()
    assert "Young carers" not in found
    page = client.get(reverse("publication:summary", args=[shown.reference])).content.decode()
    assert "An internal note" not in page


def test_an_approver_may_publish_it_later_from_the_assessments_page(
    client, staff_user, approver_user, django_capture_on_commit_callbacks
):
    assessment = sent_for_confirmation(staff_user)
    client.force_login(approver_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            confirm_url(assessment),
            {
                "intent": "confirm",
                "declaration": "on",
                "publication-decision": "not_published",
                "publication-reason": "Waiting for the partner's agreement.",
            },
        )
    detail = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert "the register shows why no assessment is needed" in detail
    decide = reverse("publication:decide", args=[assessment.reference])
    page = client.get(decide).content.decode()
    assert JUSTIFICATION in page and NO_ASSESSMENT_DECISION_LABELS[Publication.Decision.SUMMARY] in page

    assert client.post(decide, {"decision": "summary"}).status_code == 302

    assert Publication.objects.get(assessment=assessment).is_published
    client.logout()
    assert JUSTIFICATION in client.get(reverse("publication:register")).content.decode()
