"""Emails about assessments, sent in the background once the change that caused them commits."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Assessment
from assessments.tasks import send_email
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


def notify(template: str, *, recipients, context: dict, on_commit: bool = True) -> None:
    """Send the email ``emails/<template>``, by default once the current transaction commits."""
    addresses = sorted({person.email for person in recipients if person.email and person.is_active})
    if not addresses:
        return
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)

    def enqueue():
        send_email.enqueue(subject=subject, body=body, recipients=addresses)

    if on_commit:
        transaction.on_commit(enqueue)
    else:
        enqueue()


def assessment_link(assessment: Assessment) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("assessments:detail", args=[assessment.reference])
