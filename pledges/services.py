"""Every write of the pledges app that has a rule: pledge versions, links to commitments, and the
Pledge progress report's narrative, sign-off and publication. Keyword-only, one transaction each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Action, Assessment
from assessments.snapshots import canonical_json, fingerprint
from pledges import permissions
from pledges.models import (
    ActionCommitment,
    AssessmentCommitment,
    Commitment,
    PledgeReport,
    PledgeVersion,
    ReportNarrative,
)
from pledges.periods import FinancialYear
from pledges.selectors import report_draft
from pledges.signals import pledge_report_published

PUBLISH_ONLY_DRAFTS = "Only a draft pledge version can be published; this one is {status}."
PUBLISH_EMPTY = "A pledge version needs at least one commitment before it is published."
NOT_CURRENT_COMMITMENT = "Choose commitments of a published pledge version."
ACTION_OF_ANOTHER = "That action belongs to another assessment."


# Pledge versions ------------------------------------------------------------------------------


@transaction.atomic
def pledge_version_publish(*, version: PledgeVersion) -> PledgeVersion:
    """Make a draft version the pledge's current one; the one it replaces is retired. From now
    on neither its text nor its commitments change."""
    version = PledgeVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise ValidationError(PUBLISH_ONLY_DRAFTS.format(status=version.get_status_display().lower()))
    if not version.commitments.exists():
        raise ValidationError(PUBLISH_EMPTY)
    PledgeVersion.objects.filter(pledge=version.pledge, status=PledgeVersion.Status.PUBLISHED).update(
        status=PledgeVersion.Status.RETIRED
    )
    PledgeVersion.objects.filter(pk=version.pk).update(
        status=PledgeVersion.Status.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def _free_label(version: PledgeVersion) -> str:
    taken = set(PledgeVersion.objects.filter(pledge=version.pledge).values_list("label", flat=True))
    candidate, number = f"{version.label} (copy)"[:40], 2
    while candidate in taken:
        candidate, number = f"{version.label} (copy {number})"[:40], number + 1
    return candidate


@transaction.atomic
def pledge_version_copy(*, version: PledgeVersion, label: str | None = None) -> PledgeVersion:
    """A new draft version with the same text and commitments, to change."""
    copy = PledgeVersion.objects.create(
        pledge=version.pledge,
        label=label or _free_label(version),
        introduction=version.introduction,
        copied_from=version,
    )
    Commitment.objects.bulk_create(
        Commitment(
            version=copy,
            number=c.number,
            name=c.name,
            text=c.text,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
        )
        for c in version.commitments.order_by("number")
    )
    return copy


# Links from work to commitments ---------------------------------------------------------------


@transaction.atomic
def commitments_link(
    *,
    assessment: Assessment,
    user,
    commitments: list[Commitment],
    actions: dict[int, list[Commitment]] | None = None,
) -> None:
    """Set the commitments the assessment serves, and those of each of its actions (by action id;
    an action left out keeps its links)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    permissions.ensure(permissions.link_refusal(user, assessment))
    chosen = {c.pk for c in commitments}
    for values in (actions or {}).values():
        chosen |= {c.pk for c in values}
    if len(chosen) != Commitment.objects.current().filter(pk__in=chosen).count():
        raise ValidationError(NOT_CURRENT_COMMITMENT)
    _replace(AssessmentCommitment, {"assessment": assessment}, "commitment_id", {c.pk for c in commitments})
    if actions:
        own = set(Action.objects.filter(assessment=assessment, pk__in=actions).values_list("pk", flat=True))
        if own != set(actions):
            raise ValidationError(ACTION_OF_ANOTHER)
        for action_id, values in actions.items():
            _replace(ActionCommitment, {"action_id": action_id}, "commitment_id", {c.pk for c in values})


def _replace(model, owner: dict, field: str, wanted: set[int]) -> None:
    existing = set(model.objects.filter(**owner).values_list(field, flat=True))
    model.objects.filter(**owner, **{f"{field}__in": existing - wanted}).delete()
    model.objects.bulk_create(model(**owner, **{field: pk}) for pk in sorted(wanted - existing))


# The Pledge progress report ---------------------------------------------------------------------


def _report_locked(period: FinancialYear) -> PledgeReport:
    report, _ = PledgeReport.objects.get_or_create(year=period.year)
    return PledgeReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_narrative_save(
    *, period: FinancialYear, user, pledge_id: int, number: int, part: str, text: str
) -> ReportNarrative:
    """Write staff's narrative for one part of one commitment. Refused once the report is signed off."""
    permissions.ensure(permissions.narrative_refusal(user, None))
    report = _report_locked(period)
    permissions.ensure(permissions.narrative_refusal(user, report))
    if part not in ReportNarrative.Part.values:
        raise ValidationError("There is no such part of a commitment.")
    narrative, _ = ReportNarrative.objects.update_or_create(
        report=report,
        pledge_id=pledge_id,
        number=number,
        part=part,
        defaults={"text": text.strip(), "updated_by": user},
    )
    return narrative


@transaction.atomic
def report_sign_off(*, period: FinancialYear, user) -> PledgeReport:
    """Freeze the report as the record stands now, with the narrative, and fingerprint it."""
    permissions.ensure(permissions.sign_off_refusal(user, None))
    report = _report_locked(period)
    permissions.ensure(permissions.sign_off_refusal(user, report))
    now = timezone.now()
    document = report_draft(period, report=report)
    document["signed_off"] = {"by": user.get_full_name() or user.get_username(), "at": now.isoformat()}
    report.document = canonical_json(document)
    report.sha256 = fingerprint(report.document)
    report.status = PledgeReport.Status.SIGNED_OFF
    report.signed_off_by = user
    report.signed_off_at = now
    report.save(update_fields=["document", "sha256", "status", "signed_off_by", "signed_off_at"])
    return report


@transaction.atomic
def report_publish(*, period: FinancialYear, user) -> PledgeReport:
    """Put the signed report on the public register."""
    report = PledgeReport.objects.select_for_update().filter(year=period.year).first()
    permissions.ensure(permissions.publish_refusal(user, report))
    report.published_at = timezone.now()
    report.save(update_fields=["published_at"])
    transaction.on_commit(lambda: pledge_report_published.send(sender=PledgeReport, report=report))
    return report
