"""The public register's pages, read without signing in."""

import pytest
from django.urls import reverse

from assessments import lifecycle
from assessments.services import assessment_submit
from publication import services
from publication.models import Publication
from publication.tests.factories import SUMMARY, published, signed_off, summarised

pytestmark = pytest.mark.django_db


def test_the_register_lists_a_published_summary_without_signing_in(client, published_assessment):
    response = client.get(reverse("publication:register"))
    assert response.status_code == 200
    assert published_assessment.title in response.content.decode()
    assert reverse("publication:summary", args=[published_assessment.reference]) in response.content.decode()


def test_a_search_finds_a_summary_by_a_word_from_its_text_and_not_others(client, staff_user, approver_user):
    carers = published(staff_user, approver_user)
    other = published(
        staff_user,
        approver_user,
        title="Football for dads",
        summary={**SUMMARY, "activity": "Weekly football."},
    )
    page = client.get(reverse("publication:register"), {"q": "libraries"}).content.decode()
    assert carers.title in page
    assert other.title not in page


def test_filters_narrow_the_list_by_group_year_activity_and_decision(client, published_assessment):
    from assessments.models import ImpactRating

    positive = ImpactRating.objects.get(assessment=published_assessment, impact="positive")
    url = reverse("publication:register")
    year = published_assessment.signed_off_at.year
    assert (
        published_assessment.title in client.get(url, {"group": positive.characteristic.key}).content.decode()
    )
    other_group = ImpactRating.objects.filter(assessment=published_assessment).exclude(pk=positive.pk).first()
    assert (
        published_assessment.title
        not in client.get(url, {"group": other_group.characteristic.key}).content.decode()
    )
    assert published_assessment.title in client.get(url, {"year": year}).content.decode()
    assert published_assessment.title not in client.get(url, {"year": year - 1}).content.decode()
    kind = published_assessment.activity_type
    assert published_assessment.title in client.get(url, {"activity_type": kind}).content.decode()
    assert published_assessment.title not in client.get(url, {"activity_type": "zzz"}).content.decode()
    assert (
        published_assessment.title
        in client.get(url, {"decision": published_assessment.decision}).content.decode()
    )
    assert published_assessment.title not in client.get(url, {"decision": "stop-nothing"}).content.decode()


def test_the_summary_page_shows_the_summary_actions_decision_and_review_date_without_staff_names(
    client, published_assessment, staff_user, approver_user
):
    page = client.get(reverse("publication:summary", args=[published_assessment.reference])).content.decode()
    assert SUMMARY["negative_findings"] in page
    assert "Add Saturday sessions in two libraries." in page
    assert published_assessment.review_date.strftime("%Y") in page
    assert "Current" in page
    for name in (
        staff_user.first_name,
        staff_user.last_name,
        approver_user.first_name,
        approver_user.last_name,
    ):
        assert name not in page


def test_a_decision_not_to_publish_is_listed_with_title_date_and_reason_but_has_no_page(
    client, staff_user, approver_user
):
    assessment = signed_off(summarised(staff_user), owner=staff_user, approver=approver_user)
    services.publication_decide(
        assessment=assessment,
        user=approver_user,
        decision=Publication.Decision.NOT_PUBLISHED,
        reason="Names three people.",
    )
    page = client.get(reverse("publication:register")).content.decode()
    assert assessment.title in page and "Names three people." in page
    assert client.get(reverse("publication:summary", args=[assessment.reference])).status_code == 404
    assert client.get(reverse("publication:summary_pdf", args=[assessment.reference])).status_code == 404


def test_drafts_and_signed_off_assessments_without_a_decision_answer_404(client, staff_user, approver_user):
    draft = summarised(staff_user)
    undecided = signed_off(
        summarised(staff_user, title="Undecided"), owner=staff_user, approver=approver_user
    )
    for assessment in (draft, undecided):
        for name in ("summary", "easy_read", "summary_pdf", "easy_read_pdf", "full_pdf", "feedback"):
            assert client.get(reverse(f"publication:{name}", args=[assessment.reference])).status_code == 404


def test_a_withdrawn_summary_stays_marked_with_its_reason_and_its_content_is_gone(
    client, published_assessment, approver_user
):
    services.publication_withdraw(
        publication=published_assessment.publication, user=approver_user, reason="An error in the figures."
    )
    response = client.get(reverse("publication:summary", args=[published_assessment.reference]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Withdrawn" in page and "An error in the figures." in page
    assert SUMMARY["negative_findings"] not in page
    assert (
        client.get(reverse("publication:easy_read", args=[published_assessment.reference])).status_code == 404
    )


def test_a_superseded_summary_links_to_the_current_version(
    client, published_assessment, staff_user, approver_user
):
    new = lifecycle.assessment_reassess(assessment=published_assessment, user=staff_user)
    services.summary_save(assessment=new, user=staff_user, values=SUMMARY)
    assessment_submit(assessment=new, user=staff_user)
    lifecycle.assessment_sign_off(assessment=new, user=approver_user, declaration=True)
    services.publication_decide(assessment=new, user=approver_user, decision=Publication.Decision.SUMMARY)
    page = client.get(reverse("publication:summary", args=[published_assessment.reference])).content.decode()
    assert "Superseded" in page
    assert reverse("publication:summary", args=[new.reference]) in page


def test_cached_pages_change_when_feedback_is_moderated(
    client, published_assessment, approver_user, django_capture_on_commit_callbacks
):
    url = reverse("publication:summary", args=[published_assessment.reference])
    assert "No feedback has been published yet." in client.get(url).content.decode()
    feedback = services.feedback_add(assessment=published_assessment, text="More weekend groups, please.")
    # Not yet moderated: the cached page is served, and would be right anyway.
    assert "More weekend groups" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_moderate(
            feedback=feedback,
            user=approver_user,
            status="approved",
            answer="Two Saturday groups start in May.",
        )
    page = client.get(url).content.decode()
    assert "More weekend groups, please." in page and "Two Saturday groups start in May." in page


def test_a_signed_in_person_is_never_served_the_anonymous_cache(client, published_assessment, staff_user):
    url = reverse("publication:register")
    client.get(url)
    client.force_login(staff_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_register_pages_refuse_posts(client, published_assessment):
    assert client.post(reverse("publication:register")).status_code == 405
    assert (
        client.post(reverse("publication:summary", args=[published_assessment.reference])).status_code == 405
    )
