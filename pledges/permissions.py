"""Who may do what with commitments and the Pledge progress report; one reason per refusal.

The rules read the roles' Django permissions on assessments (programme staff change
assessments, approvers sign them off) and the Advisory Board's role, so no role gains a new
permission for them.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from assessments.models import Assessment
from assessments.permissions import Act, is_involved, may
from pledges.models import REPORT_SIGNED_OFF_MESSAGE, PledgeReport, ReportNarrative
from thrive_edi.roles import Role, role_grants, user_roles


class Refused(StrEnum):
    NOT_ON_THE_ASSESSMENT = (
        "Only the assessment's owner, its collaborators and approvers can change the commitments it serves."
    )
    ASSESSMENT_CLOSED = "The commitments of a withdrawn or superseded assessment can no longer change."
    NOT_A_READER = (
        "Only programme staff, approvers, the Advisory Board and admins can read the Pledge progress report."
    )
    NOT_A_WRITER = "Only programme staff and approvers can write the Pledge progress report's narrative."
    NOT_AN_APPROVER = "Only approvers can sign off the Pledge progress report."
    WROTE_NARRATIVE = (
        "You wrote part of the narrative of this Pledge progress report, so you cannot sign it off: "
        "another approver must sign it off."
    )
    SIGNED_OFF = REPORT_SIGNED_OFF_MESSAGE
    ALREADY_SIGNED_OFF = "This Pledge progress report is already signed off."
    NOT_SIGNED_OFF = "Only a signed-off Pledge progress report can be published."
    ALREADY_PUBLISHED = "This Pledge progress report is already on the public register."


OPEN_FOR_LINKS = (
    Assessment.Status.DRAFT,
    Assessment.Status.CHANGES_REQUESTED,
    Assessment.Status.IN_REVIEW,
    Assessment.Status.SIGNED_OFF,
)


def link_refusal(user, assessment: Assessment) -> str:
    """Why ``user`` may not change which commitments the assessment and its actions serve, or "".

    Linking work to a commitment is accountability, not the assessment's content: it stays open
    after sign-off (as the follow-up of actions does), until the assessment is superseded."""
    if assessment.status not in OPEN_FOR_LINKS:
        return Refused.ASSESSMENT_CLOSED
    if not (
        (role_grants(user, "assessments.change_assessment") and is_involved(user, assessment))
        or role_grants(user, "assessments.review_assessment")
    ):
        return Refused.NOT_ON_THE_ASSESSMENT
    return ""


def may_link(user, assessment: Assessment) -> bool:
    return may(Act.VIEW, user, assessment) and not link_refusal(user, assessment)


def may_read_reports(user) -> bool:
    return role_grants(user, "assessments.view_assessment") or bool(
        user_roles(user) & {Role.BOARD, Role.ADMIN}
    )


def narrative_refusal(user, report: PledgeReport | None) -> str:
    if not role_grants(user, "assessments.change_assessment"):
        return Refused.NOT_A_WRITER
    if report is not None and report.is_signed_off:
        return Refused.SIGNED_OFF
    return ""


def wrote_narrative(user, report: PledgeReport) -> bool:
    """Whether ``user`` wrote any of the report's narrative, now or in an earlier wording."""
    if report.pk is None or not user.is_authenticated:
        return False
    return (
        ReportNarrative.objects.filter(report=report, updated_by=user).exists()
        or ReportNarrative.history.filter(report_id=report.pk, updated_by=user).exists()
    )


def sign_off_refusal(user, report: PledgeReport | None) -> str:
    """Why ``user`` may not sign the report off, or "". As for an assessment or an outcome review,
    the person who signs it off is not one who wrote it (separation of duties)."""
    if not role_grants(user, "assessments.sign_off_assessment"):
        return Refused.NOT_AN_APPROVER
    if report is not None and report.is_signed_off:
        return Refused.ALREADY_SIGNED_OFF
    if report is not None and wrote_narrative(user, report):
        return Refused.WROTE_NARRATIVE
    return ""


def publish_refusal(user, report: PledgeReport | None) -> str:
    if not role_grants(user, "assessments.sign_off_assessment"):
        return Refused.NOT_AN_APPROVER
    if report is None or not report.is_signed_off:
        return Refused.NOT_SIGNED_OFF
    if report.published_at is not None:
        return Refused.ALREADY_PUBLISHED
    return ""


def ensure(reason: str) -> None:
    if reason:
        raise PermissionDenied(reason)
