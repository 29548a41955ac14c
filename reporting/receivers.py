from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count
from django.template.loader import render_to_string

from assessments.fragments import kept_app_part
from assessments.models import Assessment
from outcomes.permissions import OutcomeAct
from outcomes.permissions import may as may_on_outcomes
from outcomes.selectors import review_of
from reporting import portfolio
from reporting.models import BoardFeedback, BoardPack, RenderedPdf
from reporting.permissions import may_respond_to_feedback
from reporting.services import feedback_for_snapshot, pdf_request
from thrive_edi.migrating import schema_is_current
from thrive_edi.people import with_names


def render_on_sign_off(sender, assessment, snapshot, **kwargs) -> None:
    """The sign-off has committed: queue its PDF. A failure here never undoes the sign-off."""
    pdf_request(snapshot=snapshot)


def board_panel(sender, request, assessment, **kwargs):
    """On a signed-off assessment's page: its PDF (and its signed-off outcome review's) and the
    Advisory Board's feedback."""
    if assessment.status not in Assessment.FROZEN_STATUSES:
        return None
    feedback = kept_app_part(
        "reporting",
        "feedback",
        assessment,
        lambda: list(with_names(BoardFeedback.objects.filter(assessment=assessment), "author")),
    )
    review = review_of(assessment)  # read once for the page, with the outcome review's own panel
    return render_to_string(
        "reporting/_assessment_panel.html",
        {
            "assessment": assessment,
            "outcome_review_pdf": review is not None
            and review.is_signed_off
            and may_on_outcomes(OutcomeAct.VIEW, request.user, review),
            "feedback": feedback,
            "may_respond": may_respond_to_feedback(request.user, assessment),
        },
        request=request,
    )


def feedback_in_snapshot(sender, assessment, **kwargs) -> list[dict]:
    """Within the sign-off's transaction: the board's feedback on the earlier versions goes
    into the signed snapshot."""
    return feedback_for_snapshot(assessment)


def count_on_sign_off(sender, assessment, superseded, **kwargs) -> None:
    """Within the sign-off's transaction: the portfolio's kept counts change with it."""
    portfolio.portfolio_add(assessment=assessment, superseded=superseded)


def recount_after_loading(sender, **kwargs) -> None:
    portfolio.portfolio_recount()


def count_portfolio_once(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    """After ``migrate`` or ``flush``: count the portfolio if it never has been (a new or an
    upgraded database), so that the dashboard reads kept counts from then on."""
    if using != DEFAULT_DB_ALIAS or not schema_is_current(sender, apps):
        return
    portfolio.portfolio_count_once()


def personal_data(sender, user, **kwargs) -> dict:
    """What reporting holds about a person: the board feedback they gave or answered, packs they made."""
    return {
        "board_feedback": [
            {
                "assessment": item.assessment.reference,
                "kind": item.get_kind_display(),
                "text": item.text,
                "created_at": item.created_at,
                "response": item.response,
            }
            for item in BoardFeedback.objects.filter(author=user).select_related("assessment")
        ],
        "board_feedback_responses": [
            {
                "assessment": item.assessment.reference,
                "feedback": item.text,
                "response": item.response,
                "responded_at": item.responded_at,
            }
            for item in BoardFeedback.objects.filter(responded_by=user).select_related("assessment")
        ],
        "board_packs_made": [
            {"title": pack.title, "meeting_date": pack.meeting_date, "created_at": pack.created_at}
            for pack in BoardPack.objects.filter(created_by=user).order_by("pk")
        ],
    }


def pdf_metrics(sender, **kwargs) -> list:
    """For /metrics: signed-off assessments' PDFs by state, so that failed and refused ones show."""
    from prometheus_client.core import GaugeMetricFamily

    family = GaugeMetricFamily(
        "thrive_edi_pdfs",
        "PDFs of signed-off assessments by state: ready, pending, failed (to be tried again or "
        "given up on) and refused (the record no longer matches its fingerprint).",
        labels=["status"],
    )
    counts = dict(RenderedPdf.objects.order_by().values_list("status").annotate(n=Count("pk")))
    for status in RenderedPdf.Status.values:
        family.add_metric([status], counts.get(status, 0))
    return [family]
