"""The screening: the first step of a new assessment, its decision confirmed by an approver, and
a "no assessment needed" decision signed off, fingerprinted and reported."""

import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import lifecycle, screening, services
from assessments.models import Assessment, AssessmentEvent, ImpactRating, Screening, Snapshot
from assessments.refusals import Refused
from assessments.rules import assessment_failures
from assessments.screening import GROUPS_MISSING, JUSTIFICATION_MISSING, NOT_MARKED_REASON
from assessments.selectors import assessment_content, version_characteristics
from assessments.snapshots import fingerprint
from assessments.tests.factories import fill_assessment, make_assessment
from frameworks.scales import ActivityType, StructuredPart
from places.london import LONDON_WIDE

pytestmark = pytest.mark.django_db


def screened(owner, **fields) -> Assessment:
    return services.assessment_create(
        owner=owner, title="Leaflet reprint", activity_type=ActivityType.CAMPAIGN, screening=True, **fields
    )


def answer(assessment, user, *, decision, groups=(), justification="") -> Screening:
    return screening.screening_save(
        assessment=assessment,
        user=user,
        who="Visitors to two libraries in Hackney.",
        changes=decision != Assessment.Scope.NONE,
        changes_note="",
        groups=groups,
        reach="few",
        crisis=False,
        decision=decision,
        justification=justification,
    )


def groups_of(assessment, *keys):
    return list(version_characteristics(assessment.framework_version_id).filter(key__in=keys))


def sent(owner, *, decision, keys=(), justification="") -> Assessment:
    assessment = screened(owner)
    answer(
        assessment, owner, decision=decision, groups=groups_of(assessment, *keys), justification=justification
    )
    return screening.screening_send(assessment=assessment, user=owner)


def test_an_assessment_started_on_its_page_begins_with_a_screening(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("assessments:create"),
        {
            "title": "Leaflet reprint",
            "activity_type": ActivityType.CAMPAIGN,
            "summary": "",
            "where": [LONDON_WIDE],
        },
    )
    assessment = Assessment.objects.get(title="Leaflet reprint")
    assert response.status_code == 302
    assert assessment.screening_status == Assessment.Screening.IN_PROGRESS
    assert Screening.objects.filter(assessment=assessment).exists()

    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert page.index("Screening") < page.index("About the activity")
    assert reverse("assessments:screening", args=[assessment.reference]) in page
    assert "Send the screening for confirmation first." in page
    section = client.get(reverse("assessments:section", args=[assessment.reference, "impacts"]))
    assert section.status_code == 302


def test_assessments_made_before_screening_are_full_assessments_without_one(staff_user):
    assessment = make_assessment(staff_user)
    assert (assessment.scope, assessment.screening_status) == ("full", "")
    assert assessment.screening_decided
    content = assessment_content(assessment)
    assert len(content.sections) == len(content.template.sections)


def test_the_screening_page_keeps_partial_answers_and_says_what_is_missing_when_sent(client, staff_user):
    assessment = screened(staff_user)
    client.force_login(staff_user)
    url = reverse("assessments:screening", args=[assessment.reference])

    response = client.post(url, {"who": "Library visitors.", "decision": "proportionate", "intent": "send"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and GROUPS_MISSING in page and "Library visitors." in page
    stored = Screening.objects.get(assessment=assessment)
    assert (stored.who, stored.decision) == ("Library visitors.", "proportionate")
    assessment.refresh_from_db()
    assert assessment.screening_status == Assessment.Screening.IN_PROGRESS


def test_a_proportionate_screening_assesses_only_the_groups_it_marked(staff_user):
    assessment = sent(staff_user, decision="proportionate", keys=("age", "disability"))
    ratings = {r.characteristic.key: r for r in ImpactRating.objects.filter(assessment=assessment)}
    assert ratings["age"].relevant is True and ratings["disability"].relevant is True
    assert all(
        r.relevant is False and r.not_relevant_reason == NOT_MARKED_REASON
        for key, r in ratings.items()
        if key not in ("age", "disability")
    )
    content = assessment_content(assessment)
    parts = {section.structured for section in content.sections}
    assert StructuredPart.PRINCIPLE_ALIGNMENT not in parts and StructuredPart.DUTY_CONTRIBUTIONS not in parts
    assert StructuredPart.IMPACT_GRID in parts
    impact_failures = [f for f in assessment_failures(content) if f.section_key == "impacts"]
    assert {f.field for f in impact_failures} == {"impact"}  # only the two relevant groups
    assert len(impact_failures) == 2


def test_the_approvers_are_asked_and_an_approver_confirms_the_decision(
    staff_user, approver_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assessment = sent(staff_user, decision="full")
    assert any("Please confirm the screening" in message.subject for message in mail.outbox)
    with pytest.raises(PermissionDenied):
        services.assessment_submit(assessment=fill_assessment(assessment, user=staff_user), user=staff_user)

    assert screening.screening_confirm(assessment=assessment, user=approver_user) is None

    assessment.refresh_from_db()
    assert assessment.screening_status == Assessment.Screening.CONFIRMED
    assert assessment.status == Assessment.Status.DRAFT
    services.assessment_submit(assessment=assessment, user=staff_user)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.IN_REVIEW


def test_nobody_confirms_their_own_screening(staff_user, approver_user):
    assessment = screened(approver_user)
    answer(assessment, approver_user, decision="full")
    screening.screening_send(assessment=assessment, user=approver_user)
    with pytest.raises(PermissionDenied, match=Refused.SEPARATION_OF_DUTIES_SCREENING):
        screening.screening_confirm(assessment=assessment, user=approver_user)
    with pytest.raises(PermissionDenied, match=Refused.NOT_AN_APPROVER):
        screening.screening_confirm(assessment=assessment, user=staff_user)


def test_a_returned_screening_waits_on_the_owners_home_page_with_its_reason(
    client, staff_user, approver_user
):
    assessment = sent(staff_user, decision="none", justification="Only a reprint.")
    client.force_login(approver_user)
    home = client.get(reverse("home"))
    assert [a.reference for a in home.context["screenings_to_confirm"]] == [assessment.reference]

    url = reverse("assessments:screening_confirm", args=[assessment.reference])
    refused = client.post(url, {"intent": "return", "reason": ""})
    assert refused.status_code == 200 and "Say why the screening is returned" in refused.content.decode()
    client.post(url, {"intent": "return", "reason": "The reprint adds Easy Read: that changes access."})

    assessment.refresh_from_db()
    assert assessment.screening_status == Assessment.Screening.RETURNED
    assert client.get(reverse("home")).context["screenings_to_confirm"] == []
    client.force_login(staff_user)
    home = client.get(reverse("home"))
    assert [a.reference for a in home.context["screenings_returned"]] == [assessment.reference]
    detail = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert "that changes access" in detail
    answer(assessment, staff_user, decision="full")  # may be changed again once returned


def test_no_assessment_needed_is_signed_off_fingerprinted_and_reported(
    client, staff_user, approver_user, board_user
):
    assessment = sent(
        staff_user, decision="none", justification="A reprint of the same leaflet, same languages."
    )
    client.force_login(approver_user)
    url = reverse("assessments:screening_confirm", args=[assessment.reference])
    refused = client.post(url, {"intent": "confirm"})
    assert "Confirm the declaration to sign off" in refused.content.decode()
    assert not Snapshot.objects.filter(assessment=assessment).exists()

    client.post(url, {"intent": "confirm", "declaration": "on", "publication-decision": "summary"})

    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF and assessment.signed_off_by == approver_user
    snapshot = Snapshot.objects.get(assessment=assessment)
    assert fingerprint(snapshot.document) == snapshot.sha256
    document = json.loads(snapshot.document)
    assert document["assessment"]["scope"]["key"] == "none"
    assert [section["key"] for section in document["sections"]] == ["screening"]
    answers = {a["question"]: a["answer"] for a in document["sections"][0]["answers"]}
    assert answers["Why is this the right decision?"] == "A reprint of the same leaflet, same languages."
    kinds = list(assessment.events.values_list("kind", flat=True))
    assert AssessmentEvent.Kind.SCREENING_CONFIRMED in kinds and AssessmentEvent.Kind.SIGNED_OFF in kinds
    with pytest.raises(PermissionDenied):
        Screening.objects.filter(assessment=assessment).update(justification="Changed.")
        Screening.objects.get(assessment=assessment).save()

    client.force_login(board_user)
    portal = client.get(reverse("reporting:portal")).content.decode()
    assert assessment.reference in portal
    dashboard = client.get(reverse("reporting:dashboard"))
    assert dashboard.context["figures"].no_assessment_needed_count == 1


def test_a_screening_cannot_change_once_sent(staff_user):
    assessment = sent(staff_user, decision="full")
    with pytest.raises(PermissionDenied, match=Refused.SCREENING_NOT_OPEN):
        answer(assessment, staff_user, decision="none", justification="No.")


def test_no_assessment_needed_needs_a_justification(staff_user):
    assessment = screened(staff_user)
    answer(assessment, staff_user, decision="none")
    with pytest.raises(ValidationError, match=JUSTIFICATION_MISSING):
        screening.screening_send(assessment=assessment, user=staff_user)


def test_bad_screening_input_gets_a_message_and_loses_nothing_typed(client, staff_user):
    assessment = screened(staff_user)
    client.force_login(staff_user)
    url = reverse("assessments:screening", args=[assessment.reference])

    response = client.post(
        url, {"who": "x" * 20_001, "changes_note": "Kept.", "groups": ["999999"], "decision": "maybe"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Kept." in page
    assert Screening.objects.get(assessment=assessment).who == ""


@pytest.mark.parametrize("returned", ["screening", "assessment"])
def test_returning_a_screening_or_an_assessment_asks_a_reason_records_it_and_tells_the_team(
    returned, staff_user, approver_user, board_user, mailoutbox, django_capture_on_commit_callbacks
):
    if returned == "screening":
        assessment = sent(staff_user, decision="full")
        give_back, status = screening.screening_return, ("screening_status", Assessment.Screening.RETURNED)
        kind = AssessmentEvent.Kind.SCREENING_RETURNED
    else:
        assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
        services.assessment_submit(assessment=assessment, user=staff_user)
        give_back, status = lifecycle.assessment_request_changes, ("status", "changes_requested")
        kind = AssessmentEvent.Kind.CHANGES_REQUESTED
    before = getattr(Assessment.objects.get(pk=assessment.pk), status[0])
    mailoutbox.clear()

    with pytest.raises(ValidationError):
        give_back(assessment=assessment, user=approver_user, reason=" \n ")
    with pytest.raises(PermissionDenied):
        give_back(assessment=assessment, user=board_user, reason="Not mine to return.")
    assert getattr(Assessment.objects.get(pk=assessment.pk), status[0]) == before
    assert not assessment.events.filter(kind=kind).exists()

    with django_capture_on_commit_callbacks(execute=True):
        give_back(assessment=assessment, user=approver_user, reason="  Ask the library team first.  ")

    assert getattr(Assessment.objects.get(pk=assessment.pk), status[0]) == status[1]
    event = assessment.events.get(kind=kind)
    assert (event.actor, event.note) == (approver_user, "Ask the library team first.")
    assert [message.to for message in mailoutbox] == [[staff_user.email]]
    assert "Ask the library team first." in mailoutbox[0].body


def test_a_reassessment_starts_with_the_earlier_screening_for_the_team_to_check(
    staff_user, approver_user, django_capture_on_commit_callbacks
):
    assessment = sent(staff_user, decision="proportionate", keys=("age", "disability"))
    screening.screening_confirm(assessment=assessment, user=approver_user)
    fill_assessment(assessment, user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)

    new = lifecycle.assessment_reassess(assessment=assessment, user=staff_user)

    earlier, copied = Screening.objects.get(assessment=assessment), Screening.objects.get(assessment=new)
    for name in Screening.answer_fields():
        assert getattr(copied, name) == getattr(earlier, name), name
    assert copied.who == "Visitors to two libraries in Hackney."
    assert sorted(copied.groups.values_list("key", flat=True)) == ["age", "disability"]
    assert (new.screening_status, new.scope) == (Assessment.Screening.IN_PROGRESS, "proportionate")
    assert not new.screening_decided  # the team checks it and sends it again
    assert new.carry_over_notes == []
    relevant = new.impact_ratings.filter(relevant=True).values_list("characteristic__key", flat=True)
    assert sorted(relevant) == ["age", "disability"]


def test_a_reassessment_of_no_assessment_needed_starts_from_that_screening(
    staff_user, approver_user, django_capture_on_commit_callbacks
):
    assessment = sent(staff_user, decision="none", justification="A reprint of the same leaflet.")
    with django_capture_on_commit_callbacks(execute=True):
        screening.screening_confirm(assessment=assessment, user=approver_user, declaration=True)

    new = lifecycle.assessment_reassess(assessment=assessment, user=staff_user)

    copied = Screening.objects.get(assessment=new)
    assert (copied.decision, copied.justification) == ("none", "A reprint of the same leaflet.")
    assert (new.screening_status, new.scope) == (Assessment.Screening.IN_PROGRESS, "none")
    screening.screening_send(assessment=new, user=staff_user)  # complete as it was


def test_a_reassessment_of_an_assessment_made_before_screening_is_still_a_full_one(staff_user):
    assessment = make_assessment(staff_user, status=Assessment.Status.SIGNED_OFF)
    new = lifecycle.assessment_reassess(assessment=assessment, user=staff_user)
    assert (new.screening_status, new.scope) == ("", "full")
    assert not Screening.objects.filter(assessment=new).exists()
