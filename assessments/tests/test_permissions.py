"""Every action, for every role and every status: the pages (over HTTP), the services and the
flags the assessment's page shows its links by all agree with ``assessments.permissions``."""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from assessments import lifecycle, screening, services
from assessments.models import Action, Assessment, ReviewComment, Screening
from assessments.overview import assessment_overview
from assessments.permissions import PAGE_FLAGS, Act, may, refusal_reason
from assessments.refusals import Refused
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from thrive_edi.roles import ROLE_DEFINITIONS, role_grants

# Everyone of ``people`` (the owner is a member of staff), and someone not signed in.
ROLES = [
    "owner",
    "collaborator",
    "other staff",
    "approver",
    "board member",
    "admin without an assessing role",
    "anonymous",
]


class _Undo(Exception):
    """Raised to roll back what a probe wrote, once it has answered."""


@pytest.fixture
def everyone(people):
    return {**people, "anonymous": AnonymousUser()}


@dataclass
class Case:
    assessment: Assessment
    comment: ReviewComment
    action: Action

    def fresh(self) -> "Case":
        """The same rows read again, as each request and service call reads them."""
        assessment = Assessment.objects.get(pk=self.assessment.pk)
        action = Action.objects.select_related("assessment").get(pk=self.action.pk)
        return Case(assessment, ReviewComment.objects.get(pk=self.comment.pk), action)

    def url(self, name: str, *args) -> str:
        return reverse(f"assessments:{name}", args=[self.assessment.reference, *args])


def _case(people, status, screening="") -> Case:
    owner = people["owner"]
    assessment = fill_assessment(make_assessment(owner, collaborators=[people["collaborator"]]), user=owner)
    if screening:
        Screening.objects.create(assessment=assessment, decision=Assessment.Scope.FULL)
    comment = ReviewComment.objects.create(
        assessment=assessment, author=people["approver"], text="Which events?"
    )
    action = add_action(assessment)
    fields = {"status": status, "submitted_at": timezone.now(), "screening_status": screening}
    if status in Assessment.FROZEN_STATUSES:
        fields.update(signed_off_by=people["approver"], signed_off_at=timezone.now())
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    return Case(assessment, comment, action).fresh()


def _answers(probe: Callable) -> bool:
    """Whether ``probe`` was let through; whatever it wrote is rolled back."""
    try:
        with transaction.atomic():
            allowed = probe()
            raise _Undo
    except _Undo:
        return allowed
    except PermissionDenied:
        return False


def _page_allows(response) -> bool:
    if response.status_code in (403, 404):
        return False
    assert response.status_code in (200, 302), response.status_code
    return not (response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL)))


def _invalid_but_allowed(call: Callable) -> bool:
    with contextlib.suppress(ValidationError):  # let through, then found incomplete: not refused
        call()
    return True


FOLLOW_UP_POST = {"status": "in_progress", "progress_notes": "Started.", "due_date_0": "", "due_date_1": ""}

# What each action is over HTTP: the method, the page and what is posted.
PAGES: dict[Act, Callable[[Case], tuple[str, str, dict]]] = {
    Act.VIEW: lambda case: ("get", case.url("detail"), {}),
    Act.EDIT: lambda case: ("get", case.url("edit_details"), {}),
    Act.SUBMIT: lambda case: ("post", case.url("submit"), {}),
    Act.REVIEW: lambda case: ("get", case.url("review"), {}),
    Act.COMMENT: lambda case: ("post", case.url("comment_reply", case.comment.pk), {"text": "Three."}),
    Act.SIGN_OFF: lambda case: ("get", case.url("sign_off"), {}),
    Act.WITHDRAW: lambda case: ("get", case.url("withdraw"), {}),
    Act.REASSESS: lambda case: ("post", case.url("reassess"), {}),
    Act.FOLLOW_UP: lambda case: ("get", case.url("action_follow_up", case.action.pk), {}),
    Act.READ_WORKINGS: lambda case: ("get", case.url("history"), {}),
    Act.SCREEN: lambda case: ("get", case.url("screening"), {}),
    Act.CONFIRM_SCREENING: lambda case: ("get", case.url("screening_confirm"), {}),
}


def _details(case: Case, user) -> Assessment:
    a = case.assessment
    return services.assessment_update_details(
        assessment=a, user=user, title=a.title, activity_type=a.activity_type, summary=a.summary,
        collaborators=list(a.collaborators.all()), partners=list(a.partners.all()),
    )  # fmt: skip


# What each action is to the services (VIEW: what the database hands the user).
SERVICES: dict[Act, Callable[[Case, object], bool]] = {
    Act.VIEW: lambda case, user: Assessment.objects.visible_to(user).filter(pk=case.assessment.pk).exists(),
    Act.EDIT: lambda case, user: bool(_details(case, user)),
    Act.SUBMIT: lambda case, user: _invalid_but_allowed(
        lambda: services.assessment_submit(assessment=case.assessment, user=user)
    ),
    Act.REVIEW: lambda case, user: bool(
        lifecycle.comment_add(assessment=case.assessment, user=user, text="And the dates?")
    ),
    Act.COMMENT: lambda case, user: bool(
        lifecycle.comment_reply(comment=case.comment, user=user, text="Three.")
    ),
    Act.SIGN_OFF: lambda case, user: bool(
        lifecycle.assessment_sign_off(assessment=case.assessment, user=user, declaration=True)
    ),
    Act.WITHDRAW: lambda case, user: bool(
        lifecycle.assessment_withdraw(assessment=case.assessment, user=user, reason="Not needed.")
    ),
    Act.REASSESS: lambda case, user: bool(
        lifecycle.assessment_reassess(assessment=case.assessment, user=user)
    ),
    Act.FOLLOW_UP: lambda case, user: bool(
        lifecycle.action_follow_up(
            action=case.action, user=user, status="in_progress", progress_notes="", due_date=None
        )
    ),
    Act.READ_WORKINGS: lambda case, user: bool(assessment_overview(user, case.assessment)["open_comments"]),
    Act.SCREEN: lambda case, user: bool(
        screening.screening_save(
            assessment=case.assessment,
            user=user,
            who="",
            changes=None,
            changes_note="",
            groups=[],
            reach="",
            crisis=None,
            decision="",
            justification="",
        )
    ),
    Act.CONFIRM_SCREENING: lambda case, user: _invalid_but_allowed(
        lambda: screening.screening_confirm(assessment=case.assessment, user=user, declaration=True)
    ),
}

# The flag of the assessment's page that shows each action's link or button.
FLAG_OF = {act: flag for flag, act in PAGE_FLAGS.items()}


def _page_flags(client, case: Case) -> dict:
    response = client.get(case.url("detail"))
    if response.status_code != 200:
        return {}
    return {flag: response.context[flag] for flag in PAGE_FLAGS}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "screening", ["", "in_progress", "sent"], ids=["unscreened", "screening", "screened"]
)
@pytest.mark.parametrize("status", list(Assessment.Status))
def test_pages_services_and_flags_agree_with_the_permissions(client, everyone, status, screening):
    case = _case(everyone, status, screening)
    disagreeing = {}
    for role in ROLES:
        user = everyone[role]
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        flags = _page_flags(client, case)
        for act in Act:
            obj = case.action if act == Act.FOLLOW_UP else case.assessment
            allowed = may(act, user, obj)
            assert allowed == (refusal_reason(act, user, obj) == "")
            method, url, data = PAGES[act](case.fresh())
            answers = (
                allowed,
                _answers(lambda: _page_allows(getattr(client, method)(url, data))),
                _answers(lambda: SERVICES[act](case.fresh(), user)),
            )
            if act in FLAG_OF:
                answers += (flags.get(FLAG_OF[act], False),)
            elif act == Act.FOLLOW_UP and user == case.action.owner:  # "My actions" lists theirs
                answers += (url in client.get(reverse("assessments:my_actions")).content.decode(),)
            if len(set(answers)) != 1:
                disagreeing[(act.value, role)] = answers
    assert not disagreeing, f"(rule, page, service[, flag]) differ on a {status} assessment ({screening})"


@pytest.mark.django_db
def test_each_role_gives_its_group_exactly_the_permissions_the_rules_read(db):
    """The rules read the Django permissions of each role's group: what the group holds in the
    database is what they grant, and nothing else of the assessments app."""
    for role, definition in ROLE_DEFINITIONS.items():
        group = Group.objects.get(name=definition.group_name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        user = get_user_model().objects.create(username=f"only-{role}")
        user.groups.add(group)
        for permission in held:
            assert role_grants(user, permission), permission
        for codename in ("add", "change", "view", "review", "sign_off"):
            permission = f"assessments.{codename}_assessment"
            assert role_grants(user, permission) == (permission in held), (role, permission)


def test_every_refusal_is_said_once():
    assert len({reason.value for reason in Refused}) == len(Refused)
