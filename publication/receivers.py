"""How the public register hooks into the rest of the service: signals and the assessment page's panel."""

from django.conf import settings
from django.template.loader import render_to_string

from assessments.permissions import may_read_review_workings
from publication import caching, services
from publication.models import Feedback, Publication, PublicationEvent, PublicSummary
from publication.permissions import may_decide_publication, may_moderate, may_write_summary
from thrive_edi.personal_data import Removed


def register_changed_on_sign_off(sender, assessment, snapshot, **kwargs) -> None:
    """A sign-off may supersede a published version: its register page says so from now on."""
    caching.register_changed()


def timeline_entries(sender, assessment, user, **kwargs) -> list[tuple]:
    """Publication and moderation steps, in the assessment's timeline (for those who read its workings)."""
    if not may_read_review_workings(user):
        return []
    return [
        (event.at, event.get_kind_display(), event.actor, event.note)
        for event in PublicationEvent.objects.filter(assessment=assessment).select_related("actor")
    ]


def remove_old_contact_details(sender, now, **kwargs) -> list[Removed]:
    days = settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS
    return [Removed("community feedback contact details", services.contact_details_remove(now=now), days)]


def publication_panel(request, assessment):
    """On the assessment's page: its public summary, what is published and the feedback waiting."""
    user = request.user
    if not may_read_review_workings(user):
        return None
    summary = PublicSummary.objects.filter(assessment=assessment).first()
    publication = Publication.objects.filter(assessment=assessment).first()
    return render_to_string(
        "publication/_assessment_panel.html",
        {
            "assessment": assessment,
            "summary": summary,
            "easy_read_count": summary.easy_read_points.count() if summary else 0,
            "publication": publication,
            "may_write": may_write_summary(user, assessment),
            "may_decide": may_decide_publication(user, assessment),
            "may_moderate": may_moderate(user, assessment) and publication is not None,
            "pending": Feedback.objects.filter(assessment=assessment, status=Feedback.Status.PENDING).count(),
        },
        request=request,
    )
