"""Who may see and change an assessment. Every lookup goes through here, so that a guessed
reference gives 404, never someone else's data."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from thrive_edi.roles import Role, has_role, user_roles


def get_assessment_for_user(user, reference: str, queryset=None) -> Assessment:
    if "\x00" in reference:  # no reference holds one, and PostgreSQL refuses it in a query
        raise Http404("No such assessment.")
    queryset = Assessment.objects.select_related("framework_version") if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), reference=reference)


def may_create(user) -> bool:
    return bool(user_roles(user) & {Role.STAFF, Role.APPROVER})


def is_involved(user, assessment: Assessment) -> bool:
    if assessment.owner_id == user.pk:
        return True
    return any(person.pk == user.pk for person in assessment.collaborators.all())


def may_edit(user, assessment: Assessment) -> bool:
    """Owner and collaborators edit while the assessment is a draft or changes are requested."""
    return assessment.is_editable and may_create(user) and is_involved(user, assessment)


def may_reassess(user, assessment: Assessment) -> bool:
    """Who starts a re-assessment of a signed-off assessment: the people involved in it (its
    owner and collaborators, while they assess) or an approver. Whether the assessment can be
    re-assessed now is the lifecycle's to say."""
    return has_role(user, Role.APPROVER) or (may_create(user) and is_involved(user, assessment))


def may_read_review_workings(user) -> bool:
    """The reviewers' comment threads, their requests for changes and the field-by-field history
    of the drafts are the working of programme staff and approvers. The Advisory Board (and an
    admin without an assessing role) read the signed-off record, its lifecycle and the board's
    feedback."""
    return bool(user_roles(user) & {Role.STAFF, Role.APPROVER})
