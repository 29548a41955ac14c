"""Reads of the pledges app: the commitments work can serve, and the Pledge progress report
drafted from the record.

``report_draft`` reads a fixed number of queries whatever the number of assessments: each
figure is counted in the database, grouped by commitment (its pledge and its number, so work
linked to an earlier version of a commitment counts for it), and once more for the whole
report, each assessment or row counted once however many commitments it serves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Action, Assessment, ImpactRating, ParticipationEntry
from frameworks.scales import ParticipationLevel
from pledges.models import (
    ActionCommitment,
    AssessmentCommitment,
    Commitment,
    PledgeReport,
    ReportNarrative,
    commitment_key,
)
from pledges.periods import FinancialYear
from pledges.signals import pledge_figures_requested, pledge_outcomes_requested, pledge_tables_requested
from reporting.models import BoardFeedback

# The figures of every commitment and of the whole report, in the order they are shown.
FIGURES = (
    ("assessments_signed_off", _("Assessments signed off")),
    ("groups_assessed", _("Groups assessed (characteristics rated)")),
    ("participation_entries", _("Contributions recorded")),
    ("contributors_paid", _("Contributors paid")),
    ("actions_completed", _("Actions completed")),
    ("actions_overdue", _("Actions overdue")),
    ("actions_cancelled", _("Actions cancelled")),
    ("feedback_received", _("Board feedback received")),
    ("feedback_answered", _("Board feedback answered")),
)
OUTCOME_PARTS = ("outcomes", "challenges", "sustainability")
NO_RUNG = ""
NO_RUNG_LABEL = _("Rung not recorded")
RUNGS = [*ParticipationLevel.choices, (NO_RUNG, NO_RUNG_LABEL)]
OPEN_ACTION_STATUSES = (Action.Status.OPEN, Action.Status.IN_PROGRESS)


def report_commitments(period: FinancialYear) -> list[Commitment]:
    """The commitments of each pledge's published version whose period overlaps ``period``."""
    return list(
        Commitment.objects.current()
        .filter(starts_on__lte=period.last_day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.first_day))
        .select_related("version__pledge")
        .order_by("version__pledge__name", "number")
    )


def linkable_commitments() -> QuerySet[Commitment]:
    return (
        Commitment.objects.current()
        .select_related("version__pledge")
        .order_by("version__pledge__name", "number")
    )


def _serving(prefix: str, commitments: list[Commitment]) -> Q:
    """Rows linked (through ``prefix``, a path to a Commitment) to one of the commitments, by
    pledge and number, in any version of the pledge."""
    if not commitments:
        return Q(pk__in=[])
    return reduce(
        or_,
        (
            Q(**{f"{prefix}version__pledge_id": c.version.pledge_id, f"{prefix}number": c.number})
            for c in commitments
        ),
    )


def _key_fields(prefix: str) -> tuple[str, str]:
    return f"{prefix}version__pledge_id", f"{prefix}number"


def _signed_in(period: FinancialYear, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": Assessment.FROZEN_STATUSES,
            f"{prefix}signed_off_at__gte": period.starts,
            f"{prefix}signed_off_at__lt": period.ends,
        }
    )


class _Counts:
    """Figures by commitment key, and for the whole report."""

    def __init__(self, keys: list[str]):
        self.by_key: dict[str, dict] = {key: _empty_figures() for key in keys}
        self.total: dict = _empty_figures()

    def add(self, key: str, figure: str, value: int) -> None:
        if key in self.by_key:
            self.by_key[key][figure] += value

    def add_rung(self, key: str, rung: str, value: int) -> None:
        if key in self.by_key:
            rungs = self.by_key[key]["participation"]
            rungs[rung] = rungs.get(rung, 0) + value


def _empty_figures() -> dict:
    figures = {key: 0 for key, _ in FIGURES}
    figures["participation"] = {rung: 0 for rung, _ in RUNGS}
    return figures


def _grouped(queryset: QuerySet, prefix: str, *fields: str, **counts) -> list[dict]:
    pledge_field, number_field = _key_fields(prefix)
    rows = queryset.values(pledge_field, number_field, *fields).annotate(**counts).order_by()
    for row in rows:
        row["key"] = commitment_key(row[pledge_field], row[number_field])
    return rows


def _count_rows(counts: _Counts, period: FinancialYear, commitments: list[Commitment], today: datetime.date):
    link = "assessment__pledge_links__commitment__"
    in_period = _signed_in(period, "assessment__")
    period_assessments = Assessment.objects.filter(
        _signed_in(period), _serving("pledge_links__commitment__", commitments)
    ).values("pk")

    # Groups assessed: the characteristics rated, by key, so a group counts once per commitment.
    rated = ImpactRating.objects.filter(in_period, _serving(link, commitments)).exclude(impact="")
    for row in _grouped(rated, link, n=Count("characteristic__key", distinct=True)):
        counts.add(row["key"], "groups_assessed", row["n"])
    counts.total["groups_assessed"] = (
        ImpactRating.objects.filter(assessment__in=period_assessments)
        .exclude(impact="")
        .aggregate(n=Count("characteristic__key", distinct=True))["n"]
    )

    # Participation by rung of the ladder, and contributors paid.
    entries = ParticipationEntry.objects.filter(in_period, _serving(link, commitments))
    paid = Count("pk", filter=Q(paid=True), distinct=True)
    for row in _grouped(entries, link, "level", n=Count("pk", distinct=True), paid=paid):
        counts.add_rung(row["key"], row["level"], row["n"])
        counts.add(row["key"], "participation_entries", row["n"])
        counts.add(row["key"], "contributors_paid", row["paid"])
    totals = ParticipationEntry.objects.filter(assessment__in=period_assessments)
    for row in (
        totals.values("level").annotate(n=Count("pk"), paid=Count("pk", filter=Q(paid=True))).order_by()
    ):
        rungs = counts.total["participation"]
        rungs[row["level"]] = rungs.get(row["level"], 0) + row["n"]
        counts.total["participation_entries"] += row["n"]
        counts.total["contributors_paid"] += row["paid"]

    # Actions due in the period, on the latest signed-off version of each assessment.
    due = Q(
        assessment__status=Assessment.Status.SIGNED_OFF,
        due_date__gte=period.first_day,
        due_date__lte=period.last_day,
    )
    action_counts = {
        "actions_completed": Count("pk", filter=Q(status=Action.Status.DONE), distinct=True),
        "actions_cancelled": Count("pk", filter=Q(status=Action.Status.DROPPED), distinct=True),
        "actions_overdue": Count(
            "pk", filter=Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today), distinct=True
        ),
    }
    own_prefix, inherited_prefix = "pledge_links__commitment__", "assessment__pledge_links__commitment__"
    own = Action.objects.filter(due, _serving(own_prefix, commitments))
    inherited = Action.objects.filter(due, _serving(inherited_prefix, commitments), pledge_links__isnull=True)
    for queryset, prefix in ((own, own_prefix), (inherited, inherited_prefix)):
        for row in _grouped(queryset, prefix, **action_counts):
            for figure in action_counts:
                counts.add(row["key"], figure, row[figure])
    serving = Action.objects.filter(due).filter(Q(pk__in=own.values("pk")) | Q(pk__in=inherited.values("pk")))
    counts.total.update(serving.aggregate(**action_counts))

    # The Advisory Board's feedback given in the period on work that serves the commitment.
    feedback = BoardFeedback.objects.filter(created_at__gte=period.starts, created_at__lt=period.ends)
    feedback_counts = {
        "feedback_received": Count("pk", distinct=True),
        "feedback_answered": Count("pk", filter=Q(responded_at__isnull=False), distinct=True),
    }
    for row in _grouped(feedback.filter(_serving(link, commitments)), link, **feedback_counts):
        for figure in feedback_counts:
            counts.add(row["key"], figure, row[figure])
    linked = Assessment.objects.filter(_serving("pledge_links__commitment__", commitments)).values("pk")
    counts.total.update(feedback.filter(assessment__in=linked).aggregate(**feedback_counts))


def _links(commitments: list[Commitment]) -> list[tuple]:
    """(key, assessment id, reference, title, status, signed_off_at) of every assessment linked to
    the commitments, whenever it was signed off."""
    pledge_field, number_field = _key_fields("commitment__")
    rows = (
        AssessmentCommitment.objects.filter(_serving("commitment__", commitments))
        .values_list(
            pledge_field,
            number_field,
            "assessment_id",
            "assessment__reference",
            "assessment__title",
            "assessment__status",
            "assessment__signed_off_at",
        )
        .order_by("assessment__signed_off_at", "assessment__reference")
    )
    return [(commitment_key(pledge, number), *rest) for pledge, number, *rest in rows]


def _signal_replies(signal, **kwargs) -> list:
    return [item for _receiver, items in signal.send(sender=PledgeReport, **kwargs) for item in items or ()]


def report_draft(period: FinancialYear, *, report: PledgeReport | None = None, today=None) -> dict:
    """The report of ``period`` as the record stands: a document of plain data (what the page,
    the PDF and the signed record are made from), with the narrative staff wrote."""
    today = today or timezone.localdate()
    commitments = report_commitments(period)
    keys = [c.key for c in commitments]
    counts = _Counts(keys)
    links = _links(commitments)
    activities: dict[str, list] = defaultdict(list)
    linked_to: dict[int, set[str]] = defaultdict(set)
    period_ids: set[int] = set()
    for key, pk, reference, title, status, signed_off_at in links:
        linked_to[pk].add(key)
        if status in Assessment.FROZEN_STATUSES and period.starts <= signed_off_at < period.ends:
            period_ids.add(pk)
            if not any(item["reference"] == reference for item in activities[key]):
                activities[key].append(
                    {
                        "reference": reference,
                        "title": title,
                        "signed_off_on": timezone.localdate(signed_off_at).isoformat(),
                        "url": reverse("assessments:detail", args=[reference]),
                    }
                )
    for key in keys:
        counts.by_key[key]["assessments_signed_off"] = len(activities[key])
    counts.total["assessments_signed_off"] = len(period_ids)
    _count_rows(counts, period, commitments, today)

    # What other apps count (screenings...), added up by commitment.
    extra_figures = []
    for figure in _signal_replies(pledge_figures_requested, period=period, assessment_ids=set(linked_to)):
        extra_figures.append({"key": figure["key"], "label": figure["label"]})
        for key in keys:
            counts.by_key[key][figure["key"]] = 0
        counts.total[figure["key"]] = sum(figure["by_assessment"].values())
        for pk, value in figure["by_assessment"].items():
            for key in linked_to.get(pk, ()):
                counts.add(key, figure["key"], value)

    outcomes: dict[str, dict[str, list]] = {key: {part: [] for part in OUTCOME_PARTS} for key in keys}
    replies = _signal_replies(pledge_outcomes_requested, period=period, assessment_ids=set(linked_to))
    for item in replies:
        for key in linked_to.get(item["assessment_id"], ()):
            outcomes[key][item["part"]].append({"text": item["text"], "url": item.get("url", "")})
    tables = _signal_replies(pledge_tables_requested, period=period, assessment_ids=set(linked_to))

    narrative: dict[str, dict[str, str]] = defaultdict(dict)
    if report is not None and report.pk:
        for item in ReportNarrative.objects.filter(report=report).values(
            "pledge_id", "number", "part", "text"
        ):
            narrative[commitment_key(item["pledge_id"], item["number"])][item["part"]] = item["text"]

    pledges: list[dict] = []
    for commitment in commitments:
        version = commitment.version
        if not pledges or pledges[-1]["id"] != version.pledge_id:
            pledges.append(
                {
                    "id": version.pledge_id,
                    "name": version.pledge.name,
                    "version": version.label,
                    "introduction": version.introduction,
                    "commitments": [],
                }
            )
        pledges[-1]["commitments"].append(
            {
                "key": commitment.key,
                "number": commitment.number,
                "name": commitment.name,
                "text": commitment.text,
                "period": commitment.period_text,
                "activities": activities[commitment.key],
                **outcomes[commitment.key],
                "figures": counts.by_key[commitment.key],
                "narrative": {
                    part: narrative[commitment.key].get(part, "") for part in ReportNarrative.Part.values
                },
            }
        )
    return {
        "title": f"Pledge progress report {period.label}",
        "period": {
            "year": period.year,
            "label": period.label,
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
        },
        "counted_on": today.isoformat(),
        "outcomes_recorded": bool(pledge_outcomes_requested.receivers),
        "pledges": pledges,
        "totals": counts.total,
        "extra_figures": extra_figures,
        "tables": tables,
    }


def report_for(period: FinancialYear) -> PledgeReport | None:
    return PledgeReport.objects.select_related("signed_off_by").filter(year=period.year).first()


def published_reports() -> QuerySet[PledgeReport]:
    """Signed-off reports published on the public register, newest first."""
    return PledgeReport.objects.filter(status=PledgeReport.Status.SIGNED_OFF, published_at__isnull=False)


def commitment_links_of(assessment: Assessment) -> tuple[list[Commitment], dict[int, list[Commitment]]]:
    """The commitments an assessment serves, and those each of its actions serves (by action id)."""
    own = [
        link.commitment
        for link in AssessmentCommitment.objects.filter(assessment=assessment).select_related(
            "commitment__version__pledge"
        )
    ]
    by_action: dict[int, list[Commitment]] = defaultdict(list)
    for link in ActionCommitment.objects.filter(action__assessment=assessment).select_related(
        "commitment__version__pledge"
    ):
        by_action[link.action_id].append(link.commitment)
    return own, dict(by_action)
