"""Who is told about an assessment, and the link they follow; ``thrive_edi.notices.notice_send``
sends each email once the change commits, at once or in the day's digest as each person chose."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Assessment
from thrive_edi.notices import notice_send
from thrive_edi.people import person_name
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


def notice_context(assessment: Assessment, *, actor=None, **extra) -> dict:
    """What every email about an assessment is given: the assessment, the link to it, the name
    of who acted (``actor``, when someone did) and the ``extra`` its own template reads."""
    context = {"assessment": assessment, "link": assessment_link(assessment), **extra}
    if actor is not None:
        context["actor"] = person_name(actor)
    return context


def assessment_notify(
    template: str, *, assessment: Assessment, recipients, actor=None, at_once: bool = False, **extra
) -> None:
    """Tell ``recipients`` about ``assessment`` with ``emails/<template>.txt``
    (``notice_context`` says what the template is given)."""
    notice_send(
        template,
        recipients=recipients,
        context=notice_context(assessment, actor=actor, **extra),
        at_once=at_once,
    )
