"""Check your answers, and submitting for review."""

import pytest
from django.urls import reverse

from assessments.models import Answer, Assessment, ImpactRating
from assessments.refusals import Refused
from assessments.tests.factories import fill_assessment, make_assessment, section_data, section_url
from assessments.views.assessment import SUBMITTED_MESSAGE
from frameworks.models import FrameworkVersion
from frameworks.scales import Impact


@pytest.fixture
def assessment(staff_user):
    return fill_assessment(make_assessment(staff_user), user=staff_user)


def check_url(assessment) -> str:
    return reverse("assessments:check", args=[assessment.reference])


def submit_url(assessment) -> str:
    return reverse("assessments:submit", args=[assessment.reference])


def test_check_answers_lists_every_answer_with_a_change_link(client, assessment, staff_user):
    Answer.objects.filter(assessment=assessment, question__key="aims").update(
        value="Fewer crisis admissions."
    )
    client.force_login(staff_user)
    response = client.get(check_url(assessment))
    page = response.content.decode()
    assert response.status_code == 200
    questions = [q for qs in response.context["summary"] for q in qs.rows]
    assert len(questions) == assessment.framework_version.questions.count()
    for section in assessment.framework_version.sections.all():
        assert section.title in page
    for question in assessment.framework_version.questions.all():
        assert question.text in page
        assert f'href="{section_url(assessment, question.section.key)}#div_id_q-{question.key}"' in page
    assert "Fewer crisis admissions." in page
    for rating in ImpactRating.objects.filter(assessment=assessment).select_related("characteristic"):
        assert rating.characteristic.name in page


def test_check_answers_shows_the_labels_of_stored_keys(client, assessment, staff_user):
    client.force_login(staff_user)
    page = client.get(check_url(assessment)).content.decode()
    assert "No major change needed" in page  # the decision's label, not its key
    assert "Disaggregated data and direct input from the group" in page  # confidence: high


def test_check_answers_of_a_complete_assessment_offers_the_submit_button(client, assessment, staff_user):
    client.force_login(staff_user)
    response = client.get(check_url(assessment))
    assert response.context["failures"] == []
    assert f'action="{submit_url(assessment)}"' in response.content.decode()
    assert "Submit for review" in response.content.decode()


def test_check_answers_lists_what_is_missing_with_links_and_no_submit_button(client, assessment, staff_user):
    Answer.objects.filter(assessment=assessment, question__key="sources").delete()
    race = ImpactRating.objects.get(assessment=assessment, characteristic__key="race")
    ImpactRating.objects.filter(pk=race.pk).update(impact=Impact.NEGATIVE, mitigation="Outreach.")
    client.force_login(staff_user)
    response = client.get(check_url(assessment))
    page = response.content.decode()
    assert "Before you can submit, 2 things need fixing" in page
    evidence = section_url(assessment, "evidence")
    assert (
        f'<a href="{evidence}#div_id_q-sources">Answer the question: '
        "Which data, research and community insight did you use?</a>" in page
    )
    assert (
        f'<a href="{section_url(assessment, "actions")}#add-row">Add an action for {race.characteristic.name}'
        in page
    )
    assert "Submit for review" not in page
    assert submit_url(assessment) not in page


def test_readers_see_all_answers_without_change_links_or_submit(client, assessment, approver_user):
    client.force_login(approver_user)
    response = client.get(check_url(assessment))
    page = response.content.decode()
    assert response.status_code == 200
    assert "All answers" in page
    assert "Change" not in page
    assert "Submit for review" not in page


def test_submitting_a_complete_assessment_sends_it_for_review_and_freezes_its_framework(
    client, assessment, staff_user
):
    client.force_login(staff_user)
    response = client.post(submit_url(assessment), follow=True)
    assert response.redirect_chain[0][0] == reverse("assessments:detail", args=[assessment.reference])
    assert SUBMITTED_MESSAGE in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert assessment.submitted_at is not None
    version = FrameworkVersion.objects.get(pk=assessment.framework_version_id)
    assert version.is_frozen


def test_a_collaborator_may_submit(client, staff_user, user_factory):
    from thrive_edi.roles import Role

    erin = user_factory(username="erin", role=Role.STAFF)
    assessment = fill_assessment(make_assessment(staff_user, collaborators=[erin]), user=staff_user)
    client.force_login(erin)
    client.post(submit_url(assessment))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW


def test_submitting_an_incomplete_assessment_keeps_it_a_draft_with_a_message(client, assessment, staff_user):
    Answer.objects.filter(assessment=assessment, question__key="review_date").delete()
    client.force_login(staff_user)
    response = client.post(submit_url(assessment), follow=True)
    assert response.redirect_chain[0][0] == check_url(assessment)
    page = response.content.decode()
    assert "The assessment is not ready to submit yet" in page
    assert "Answer the question: When will this assessment be reviewed?" in page
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.submitted_at is None
    assert not FrameworkVersion.objects.get(pk=assessment.framework_version_id).is_frozen


def test_submit_refuses_get(client, assessment, staff_user):
    client.force_login(staff_user)
    assert client.get(submit_url(assessment)).status_code == 405
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_a_submitted_assessment_can_no_longer_be_edited_or_submitted_again(client, assessment, staff_user):
    client.force_login(staff_user)
    client.post(submit_url(assessment))
    assert client.get(section_url(assessment, "about")).status_code == 403
    data = section_data(assessment, "about", {"q-aims": "Changed after submission"})
    assert client.post(section_url(assessment, "about"), data).status_code == 403
    assert client.post(submit_url(assessment)).status_code == 403
    assert Answer.objects.get(assessment=assessment, question__key="aims").value != "Changed after submission"
    page = client.get(check_url(assessment)).content.decode()
    assert "Submit for review" not in page


def test_the_submit_service_refuses_an_assessment_that_is_not_editable(assessment, staff_user):
    from django.core.exceptions import PermissionDenied

    from assessments import services

    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied, match=Refused.IN_REVIEW):
        services.assessment_submit(assessment=assessment, user=staff_user)
