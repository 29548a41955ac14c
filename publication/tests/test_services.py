"""Publication, withdrawal and moderation: who may, and the record they leave."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from publication import services
from publication.models import Feedback, Publication, PublicationEvent
from publication.tests.factories import signed_off, summarised

pytestmark = pytest.mark.django_db


def test_the_owner_writes_the_summary_only_while_the_assessment_can_be_edited(staff_user, approver_user):
    assessment = signed_off(summarised(staff_user), owner=staff_user, approver=approver_user)
    with pytest.raises(PermissionDenied):
        services.summary_save(assessment=assessment, user=staff_user, values={"activity": "Changed"})
    assert assessment.public_summary.activity != "Changed"


def test_only_an_approver_not_involved_decides_and_only_after_sign_off(staff_user, approver_user):
    draft = summarised(staff_user)
    with pytest.raises(PermissionDenied):
        services.publication_decide(assessment=draft, user=approver_user, decision="summary")
    assessment = signed_off(summarised(staff_user, title="Signed"), owner=staff_user, approver=approver_user)
    with pytest.raises(PermissionDenied):
        services.publication_decide(assessment=assessment, user=staff_user, decision="summary")
    assert not Publication.objects.exists()


def test_not_publishing_needs_a_reason_and_publishing_needs_a_summary(staff_user, approver_user):
    from assessments.tests.factories import fill_assessment, make_assessment

    assessment = signed_off(summarised(staff_user), owner=staff_user, approver=approver_user)
    with pytest.raises(ValidationError):
        services.publication_decide(
            assessment=assessment, user=approver_user, decision="not_published", reason=" "
        )
    bare = fill_assessment(make_assessment(staff_user, title="No summary"), user=staff_user)
    bare = signed_off(bare, owner=staff_user, approver=approver_user)
    with pytest.raises(ValidationError):
        services.publication_decide(assessment=bare, user=approver_user, decision="summary")


def test_publication_withdrawal_and_moderation_are_in_the_timeline_and_the_audit_log(
    client, published_assessment, approver_user, staff_user, caplog
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    feedback = services.feedback_add(assessment=published_assessment, text="Good idea.")
    services.feedback_moderate(feedback=feedback, user=staff_user, status="approved", answer="Thank you.")
    services.publication_withdraw(
        publication=published_assessment.publication, user=approver_user, reason="A figure was wrong."
    )
    kinds = list(
        PublicationEvent.objects.filter(assessment=published_assessment).values_list("kind", flat=True)
    )
    assert kinds == ["published", "feedback_approved", "feedback_answered", "withdrawn"]
    events = [record.event for record in caplog.records if hasattr(record, "event")]
    assert {"publication_feedback_approved", "publication_feedback_answered", "publication_withdrawn"} <= set(
        events
    )
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[published_assessment.reference])).content.decode()
    assert "Withdrawn from the public register" in page and "A figure was wrong." in page
    assert "Community feedback approved" in page


def test_a_withdrawn_publication_cannot_be_withdrawn_again_or_decided_anew(
    published_assessment, approver_user
):
    services.publication_withdraw(
        publication=published_assessment.publication, user=approver_user, reason="Wrong."
    )
    with pytest.raises(ValidationError):
        services.publication_withdraw(
            publication=published_assessment.publication, user=approver_user, reason="x"
        )
    with pytest.raises(ValidationError):
        services.publication_decide(assessment=published_assessment, user=approver_user, decision="summary")


def test_contact_details_past_the_retention_period_are_removed_by_apply_retention(
    published_assessment, settings
):
    settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS = 365
    old = services.feedback_add(
        assessment=published_assessment, text="Old", name="Sam", email="sam@example.org"
    )
    new = services.feedback_add(
        assessment=published_assessment, text="New", name="Kim", email="kim@example.org"
    )
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=366))
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.name, old.email, old.text) == ("", "", "Old") and old.contact_removed_at is not None
    assert (new.name, new.email) == ("Kim", "kim@example.org")
    assert "Removed 1 community feedback contact details older than 365 days." in out.getvalue()


def test_the_retention_period_defaults_to_twelve_months():
    from thrive_edi import settings as project_settings

    assert project_settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS == 365


def test_the_assessment_page_offers_the_owner_the_summary_and_the_approver_the_decision(
    client, staff_user, approver_user
):
    draft = summarised(staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[draft.reference])).content.decode()
    assert reverse("publication:summary_edit", args=[draft.reference]) in page
    assessment = signed_off(summarised(staff_user, title="Signed"), owner=staff_user, approver=approver_user)
    client.force_login(approver_user)
    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert reverse("publication:decide", args=[assessment.reference]) in page
    response = client.post(
        reverse("publication:decide", args=[assessment.reference]), {"decision": "summary"}
    )
    assert response.status_code == 302
    assert Publication.objects.get(assessment=assessment).decided_by == approver_user
