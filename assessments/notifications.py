"""Who is told about an assessment, and the link they follow; ``thrive_edi.notices.notice_send``
sends each email once the change commits, at once or in the day's digest as each person chose."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Assessment
from thrive_edi.roles import ROLE_DEFINITIONS, Role


def approvers_for(assessment: Assessment) -> list:
    """Approvers who may review this assessment: not its owner or collaborators."""
    involved = {assessment.owner_id, *assessment.collaborators.values_list("pk", flat=True)}
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_DEFINITIONS[Role.APPROVER].group_name)
        .exclude(pk__in=involved)
        .exclude(email="")
        .distinct()
    )


def team_of(assessment: Assessment) -> list:
    return [assessment.owner, *assessment.collaborators.all()]


def assessment_link(assessment: Assessment) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("assessments:detail", args=[assessment.reference])
