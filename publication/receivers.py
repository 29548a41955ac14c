"""How the public register hooks into the rest of the service: signals and the assessment page's panel."""

import functools

from django.conf import settings
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string

from assessments.fragments import app_part_changed_on_write, kept_app_part, kept_fragments_forget
from assessments.models import Assessment
from assessments.permissions import Act, may
from publication import caching, selectors, services
from publication.forms import SignOffDecisionForm
from publication.models import EasyReadPoint, Feedback, Publication, PublicationEvent, PublicSummary
from publication.permissions import may_decide_publication, may_moderate, may_write_summary
from thrive_edi.people import with_names
from thrive_edi.personal_data import Removed


def register_changed_on_sign_off(sender, assessment, snapshot, **kwargs) -> None:
    """A sign-off may supersede a published version: its register page says so from now on."""
    caching.register_changed()


def register_changed_on_action_follow_up(sender, action, **kwargs) -> None:
    """A signed-off assessment's action changed its date or progress: its register page shows them."""
    if action.assessment.is_frozen:
        caching.register_changed()


def register_changed_on_loading(sender, **kwargs) -> None:
    """Published assessments were written in bulk (seeding): the register lists them from now
    on, and their pages show their publications (written without a signal)."""
    caching.register_changed()
    kept_fragments_forget()


def register_changed_on_pledge_report(sender, report, **kwargs) -> None:
    """A Pledge progress report was published: the register lists it from now on."""
    caching.register_changed()


def register_changed_on_outcome_review(sender, review, **kwargs) -> None:
    """An outcome review was signed off: a published assessment's page shows it from now on."""
    caching.register_changed()


def publication_decision_form(sender, assessment, user, data, **kwargs):
    """On the sign-off page: what the register shows, decided with the sign-off. The approver
    may change the decision later from the assessment's page. Of a "no assessment needed"
    decision, the register shows why no assessment is needed in place of a public summary."""
    return SignOffDecisionForm(
        data,
        summary=PublicSummary.objects.filter(assessment=assessment).first(),
        justification=selectors.no_assessment_justification(assessment),
    )


def timeline_entries(sender, assessment, user, **kwargs) -> list[tuple]:
    """Publication and moderation steps, in the assessment's timeline (for those who read its workings)."""
    if not may(Act.READ_WORKINGS, user, assessment) or not assessment.is_frozen:
        return []  # publication and moderation begin at sign-off
    return kept_app_part(
        "publication",
        "timeline",
        assessment,
        lambda: [
            (event.at, event.get_kind_display(), event.actor, event.note)
            for event in with_names(PublicationEvent.objects.filter(assessment=assessment), "actor")
        ],
    )


def remove_old_contact_details(sender, now, **kwargs) -> list[Removed]:
    days = settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS
    return [Removed("community feedback contact details", services.contact_details_remove(now=now), days)]


def _publication_state(assessment) -> dict:
    """Everything the panel shows of a signed-off assessment's publication, in one query, kept
    until the publication's rows change (``publication_rows_changed``)."""

    def read() -> dict:
        state = _publication_states().get(pk=assessment.pk)
        state["has_summary"] = state.pop("summary_id") is not None
        return state

    return kept_app_part("publication", "panel", assessment, read)


def publication_rows_changed() -> None:
    """What a signed-off assessment's page shows of its publication changes with these rows.
    Easy Read points are not among them: they change only while the assessment can be edited
    (``services.easy_read_save``), when nothing of its publication is kept, and a receiver on
    them would cost a query a point at every save of a draft's Easy Read version."""
    app_part_changed_on_write("publication", Publication, PublicationEvent, PublicSummary, Feedback)


@functools.cache
def _publication_states() -> QuerySet:
    """Each assessment's summary and decision joined (one of each at most), the counts as
    subqueries. Built once: each page filters a copy of its own, and does not build the
    subqueries again on every request."""

    def count(queryset, of: str):
        return Subquery(queryset.values(of).annotate(n=Count("pk")).values("n"))

    return Assessment.objects.values(
        summary_id=F("public_summary__pk"),
        points=count(EasyReadPoint.objects.filter(summary__assessment=OuterRef("pk")), "summary__assessment"),
        pending=count(
            Feedback.objects.filter(assessment=OuterRef("pk"), status=Feedback.Status.PENDING),
            "assessment",
        ),
        **{f"publication_{name}": F(f"publication__{name}") for name in PANEL_FIELDS},
    )


PANEL_FIELDS = ("decision", "reason", "withdrawn_at", "withdrawn_reason")


def publication_panel(sender, request, assessment, **kwargs):
    """On the assessment's page: its public summary, what is published and the feedback waiting.

    While the assessment can be edited nothing is published yet, and the panel reads nothing:
    the task list's pages keep their query budget."""
    user = request.user
    if not may(Act.READ_WORKINGS, user, assessment):
        return None
    context = {"assessment": assessment, "may_write": may_write_summary(user, assessment)}
    if assessment.is_frozen:
        state = _publication_state(assessment)
        decision = state["publication_decision"]
        publication = None
        if decision:
            publication = Publication(
                assessment=assessment, **{name: state[f"publication_{name}"] for name in PANEL_FIELDS}
            )
        context |= {
            "state": state,
            "publication": publication,
            "may_decide": may_decide_publication(user, assessment),
            "may_moderate": may_moderate(user, assessment) and publication is not None,
        }
    return render_to_string("publication/_assessment_panel.html", context, request=request)
