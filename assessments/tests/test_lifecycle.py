import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.transaction import TransactionManagementError
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Assessment,
    AssessmentEvent,
    ReviewComment,
    Snapshot,
)
from assessments.refusals import Refused
from assessments.snapshots import canonical_json, fingerprint
from assessments.tests.factories import add_action, fill_assessment, make_assessment, post_follow_up
from thrive_edi.roles import Role


@pytest.fixture
def second_approver(user_factory):
    return user_factory(username="erin", role=Role.APPROVER, first_name="Erin")


@pytest.fixture
def submitted(staff_user, django_capture_on_commit_callbacks):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=staff_user)
    assessment.refresh_from_db()
    return assessment


def sign_off(assessment, approver, callbacks):
    with callbacks(execute=True):
        return lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)


@pytest.mark.django_db
def test_submitting_tells_the_approvers_by_email(
    staff_user, approver_user, django_capture_on_commit_callbacks, mailoutbox
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=staff_user)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert assessment.framework_version.is_frozen
    assert [m.to for m in mailoutbox] == [[approver_user.email]]
    assert assessment.reference in mailoutbox[0].subject
    assert AssessmentEvent.objects.filter(assessment=assessment, kind="submitted", actor=staff_user).exists()


@pytest.mark.django_db
def test_requesting_changes_needs_a_reason_and_tells_the_team(
    submitted, approver_user, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(approver_user)
    url = reverse("assessments:request_changes", args=[submitted.reference])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Say what needs to change" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Add evidence for disabled young men."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.CHANGES_REQUESTED
    assert mailoutbox[-1].to == [submitted.owner.email]
    assert "Add evidence for disabled young men." in mailoutbox[-1].body
    event = AssessmentEvent.objects.get(assessment=submitted, kind="changes_requested")
    assert event.note == "Add evidence for disabled young men."
    client.force_login(submitted.owner)
    page = client.get(reverse("assessments:detail", args=[submitted.reference])).content.decode()
    assert "asked for changes" in page and "Add evidence for disabled young men." in page


@pytest.mark.django_db
def test_comments_replies_and_resolution_are_all_kept(submitted, approver_user, staff_user, client):
    section = submitted.framework_version.sections.get(key="evidence")
    client.force_login(approver_user)
    client.post(
        reverse("assessments:comment_add", args=[submitted.reference]),
        {"section": section.pk, "text": "Which listening events?"},
    )
    comment = ReviewComment.objects.get(assessment=submitted)
    assert comment.section == section and comment.author == approver_user
    client.force_login(staff_user)
    client.post(
        reverse("assessments:comment_reply", args=[submitted.reference, comment.pk]),
        {"text": "Three, in Stratford."},
    )
    client.post(reverse("assessments:comment_resolve", args=[submitted.reference, comment.pk]))
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == staff_user
    assert [r.text for r in comment.replies.all()] == ["Three, in Stratford."]
    page = client.get(reverse("assessments:detail", args=[submitted.reference])).content.decode()
    assert "Which listening events?" in page and "Three, in Stratford." in page


@pytest.mark.django_db
def test_sign_off_freezes_and_fingerprints_the_assessment(
    submitted, approver_user, django_capture_on_commit_callbacks, mailoutbox
):
    snapshot = sign_off(submitted, approver_user, django_capture_on_commit_callbacks)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SIGNED_OFF
    assert submitted.signed_off_by == approver_user and submitted.signed_off_at is not None
    document = json.loads(snapshot.document)
    assert fingerprint(canonical_json(document)) == snapshot.sha256
    assert fingerprint(snapshot.document) == snapshot.sha256
    assert document["assessment"]["reference"] == submitted.reference
    assert document["assessment"]["signed_off_by"] == "Bob User"
    titles = [section["title"] for section in document["sections"]]
    assert titles == list(
        submitted.framework_version.sections.order_by("order").values_list("title", flat=True)
    )
    assert {p["name"] for p in document["framework"]["principles"]} >= {"Equity", "Intersectionality"}
    assert len(document["framework"]["characteristics"]) == 24
    assert mailoutbox[-1].to == [submitted.owner.email]
    assert snapshot.sha256 in mailoutbox[-1].body


@pytest.mark.django_db
def test_sign_off_is_announced_after_commit(submitted, approver_user, django_capture_on_commit_callbacks):
    from assessments.signals import assessment_signed_off

    heard = []

    def listener(sender, assessment, snapshot, **kwargs):
        heard.append((assessment.pk, snapshot.sha256))

    assessment_signed_off.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            snapshot = lifecycle.assessment_sign_off(
                assessment=submitted, user=approver_user, declaration=True
            )
        assert heard == []
        for callback in callbacks:
            callback()
        assert heard == [(submitted.pk, snapshot.sha256)]
    finally:
        assessment_signed_off.disconnect(listener)


@pytest.mark.django_db
def test_owner_who_is_also_an_approver_cannot_sign_off_through_the_service(
    user_factory, django_capture_on_commit_callbacks
):
    owner = user_factory(username="olu", role=Role.APPROVER)
    assessment = fill_assessment(make_assessment(owner), user=owner)
    services.assessment_submit(assessment=assessment, user=owner)
    with pytest.raises(PermissionDenied, match="another approver"):
        lifecycle.assessment_sign_off(assessment=assessment, user=owner, declaration=True)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_collaborator_who_is_an_approver_cannot_sign_off_through_the_page(
    staff_user, approver_user, client, method
):
    assessment = fill_assessment(make_assessment(staff_user, collaborators=[approver_user]), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    client.force_login(approver_user)
    url = reverse("assessments:sign_off", args=[assessment.reference])
    response = getattr(client, method)(url, {"declaration": "on"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_sign_off_needs_the_declaration(submitted, approver_user, client):
    client.force_login(approver_user)
    url = reverse("assessments:sign_off", args=[submitted.reference])
    response = client.post(url, {})
    assert "Confirm the declaration to sign off" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.IN_REVIEW
    with pytest.raises(ValidationError):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=False)


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["staff_user", "board_user"])
def test_only_approvers_reach_the_review_pages(submitted, client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    for name in ("review", "request_changes", "sign_off"):
        status = client.get(reverse(f"assessments:{name}", args=[submitted.reference])).status_code
        assert status in (403, 404)


# A reason as people paste it: Bengali with an emoji, a bulleted list from a document, a long
# link, and the spaces and blank lines around them.
PASTED_REASON = (
    "\n  আরও প্রমাণ যোগ করুন 🙏\n• Add the borough survey\n• Ask the youth panel again\n"
    + "https://example.org/evidence/"
    + "a" * 270
    + "  \n\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["request_changes", "withdraw"])
def test_a_pasted_reason_is_recorded_whole_and_shown_on_the_timeline(
    step, submitted, staff_user, approver_user, client, django_capture_on_commit_callbacks
):
    # Changes are asked of an assessment in review, by an approver; its owner withdraws a draft.
    assessment, user, kind = {
        "request_changes": (submitted, approver_user, AssessmentEvent.Kind.CHANGES_REQUESTED),
        "withdraw": (make_assessment(staff_user), staff_user, AssessmentEvent.Kind.WITHDRAWN),
    }[step]
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"assessments:{step}", args=[assessment.reference]), {"reason": PASTED_REASON}
        )
    assert response.status_code == 302
    assert AssessmentEvent.objects.get(assessment=assessment, kind=kind).note == PASTED_REASON.strip()
    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    for line in PASTED_REASON.strip().splitlines():
        assert line in page, line


@pytest.mark.django_db(transaction=True)
def test_an_assessment_moves_only_inside_a_transaction(staff_user):
    """Its step and the event that records it are saved together or not at all."""
    assessment = make_assessment(staff_user)
    with pytest.raises(TransactionManagementError):
        services.assessment_move(
            assessment=assessment,
            user=staff_user,
            event=AssessmentEvent.Kind.WITHDRAWN,
            status=Assessment.Status.WITHDRAWN,
        )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert not assessment.events.exists()


@pytest.mark.django_db
def test_owner_withdraws_a_draft_with_a_reason_and_it_stays_readable(staff_user, client):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    url = reverse("assessments:withdraw", args=[assessment.reference])
    assert "Say why the assessment is withdrawn" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "The programme was cancelled."})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.WITHDRAWN
    assert client.get(reverse("assessments:detail", args=[assessment.reference])).status_code == 200
    assert (
        AssessmentEvent.objects.get(assessment=assessment, kind="withdrawn").note
        == "The programme was cancelled."
    )


@pytest.mark.django_db
def test_others_cannot_withdraw(staff_user, approver_user, client):
    assessment = make_assessment(staff_user, collaborators=[approver_user])
    client.force_login(approver_user)
    response = client.post(reverse("assessments:withdraw", args=[assessment.reference]), {"reason": "No"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


@pytest.mark.django_db
def test_reassessment_copies_the_content_and_supersedes_the_old_version_at_its_sign_off(
    submitted, approver_user, second_approver, staff_user, client, django_capture_on_commit_callbacks
):
    sign_off(submitted, approver_user, django_capture_on_commit_callbacks)
    client.force_login(staff_user)
    response = client.post(reverse("assessments:reassess", args=[submitted.reference]))
    new = Assessment.objects.get(previous=submitted)
    assert response.url == reverse("assessments:detail", args=[new.reference])
    assert new.version_number == 2 and new.status == Assessment.Status.DRAFT
    assert new.answers.count() == submitted.answers.count()
    assert list(new.impact_ratings.order_by("characteristic__key").values_list("impact", flat=True)) == list(
        submitted.impact_ratings.order_by("characteristic__key").values_list("impact", flat=True)
    )
    assert new.actions.count() == submitted.actions.count()
    assert new.carry_over_notes == []
    # a second "start a review" does not make another version
    client.post(reverse("assessments:reassess", args=[submitted.reference]))
    assert Assessment.objects.filter(previous=submitted).count() == 1

    services.assessment_submit(assessment=new, user=staff_user)
    sign_off(new, second_approver, django_capture_on_commit_callbacks)
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUPERSEDED
    assert client.get(reverse("assessments:detail", args=[submitted.reference])).status_code == 200
    page = client.get(reverse("assessments:detail", args=[new.reference])).content.decode()
    assert submitted.reference in page


@pytest.mark.django_db
def test_a_comment_on_a_section_that_is_not_a_number_gets_404(submitted, approver_user, client):
    client.force_login(approver_user)
    response = client.post(
        reverse("assessments:comment_add", args=[submitted.reference]), {"section": "abc", "text": "x"}
    )
    assert response.status_code == 404
    assert not ReviewComment.objects.exists()


@pytest.mark.django_db
def test_actions_cannot_change_while_the_assessment_is_in_review(submitted, staff_user, client):
    action = Action.objects.filter(assessment=submitted).first() or add_action(submitted)
    client.force_login(staff_user)
    response = post_follow_up(client, action, status="dropped", progress_notes="x", due_date=date(2020, 1, 1))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        lifecycle.action_follow_up(
            action=action, user=staff_user, status="dropped", progress_notes="", due_date=None
        )
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


@pytest.mark.django_db
def test_comments_close_at_sign_off(submitted, approver_user, staff_user, django_capture_on_commit_callbacks):
    comment = lifecycle.comment_add(assessment=submitted, user=approver_user, text="Which events?")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=True)
    with pytest.raises(PermissionDenied):
        lifecycle.comment_resolve(comment=comment, user=staff_user)
    with pytest.raises(PermissionDenied):
        lifecycle.comment_reply(comment=comment, user=staff_user, text="Three.")
    comment.refresh_from_db()
    assert comment.resolved_at is None and not comment.replies.exists()


@pytest.mark.django_db
def test_a_title_on_several_lines_is_kept_on_one(staff_user, client):
    client.force_login(staff_user)
    client.post(
        reverse("assessments:create"),
        {"title": "Peer support\nBcc: x@example.org", "activity_type": "programme", "where": "london"},
    )
    assert Assessment.objects.get().title == "Peer support Bcc: x@example.org"


@pytest.mark.django_db
def test_a_withdrawn_reassessment_does_not_block_a_new_one(
    submitted, approver_user, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=submitted, user=approver_user, declaration=True)
    first = lifecycle.assessment_reassess(assessment=submitted, user=staff_user)
    with pytest.raises(PermissionDenied, match=Refused.ALREADY_REASSESSING):
        lifecycle.assessment_reassess(assessment=submitted, user=staff_user)
    lifecycle.assessment_withdraw(assessment=first, user=staff_user, reason="Started by mistake.")
    second = lifecycle.assessment_reassess(assessment=submitted, user=staff_user)
    assert second.previous == submitted and second.version_number == 2
    assert submitted.live_next_version == second


@pytest.mark.django_db
def test_the_signed_off_page_links_to_the_live_reassessment_and_not_a_withdrawn_one(
    submitted, approver_user, staff_user, client, django_capture_on_commit_callbacks
):
    sign_off(submitted, approver_user, django_capture_on_commit_callbacks)
    withdrawn = lifecycle.assessment_reassess(assessment=submitted, user=staff_user)
    lifecycle.assessment_withdraw(assessment=withdrawn, user=staff_user, reason="Started by mistake.")
    client.force_login(staff_user)
    url = reverse("assessments:detail", args=[submitted.reference])
    withdrawn_link = f'href="{reverse("assessments:detail", args=[withdrawn.reference])}"'

    page = client.get(url).content.decode()
    assert withdrawn_link not in page and "Start a re-assessment" in page
    assert submitted.snapshot.sha256 in page and approver_user.first_name in page

    live = lifecycle.assessment_reassess(assessment=submitted, user=staff_user)
    page = client.get(url).content.decode()
    link = f'href="{reverse("assessments:detail", args=[live.reference])}">{live.reference}</a>'
    assert f'Version 2 is <a class="govuk-link" {link}' in page
    assert withdrawn_link not in page and "Start a re-assessment" not in page
    assert submitted.snapshot.sha256 in page


@pytest.mark.django_db
def test_a_reassessment_carries_over_every_field_of_every_row(
    submitted, approver_user, staff_user, django_capture_on_commit_callbacks
):
    from assessments.tests.factories import add_action

    combination = submitted.intersectional_impacts.first()
    add_action(
        submitted,
        characteristics=list(combination.characteristics.all()),
        combinations=[combination],
        measure="Attendance by faith group",
    )
    Action.objects.filter(assessment=submitted).update(
        status=Action.Status.IN_PROGRESS, progress_notes="Began"
    )
    sign_off(submitted, approver_user, django_capture_on_commit_callbacks)
    new = lifecycle.assessment_reassess(assessment=submitted, user=staff_user)

    def recorded(assessment, model) -> list[str]:
        skipped = {"id", "assessment_id", "updated_at", "updated_by_id"}
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skipped]
        return sorted(map(repr, model.objects.filter(assessment=assessment).values_list(*fields)))

    for model in ASSESSMENT_ROW_MODELS:
        assert recorded(new, model) == recorded(submitted, model), model.__name__
        assert recorded(new, model), f"no {model.__name__} to compare"
    copied = new.actions.get(measure="Attendance by faith group")
    assert list(copied.characteristics.all()) == list(combination.characteristics.all())
    assert [c.description for c in copied.intersectional_impacts.all()] == [combination.description]
