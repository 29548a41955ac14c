"""Demo content of the pledges app: one example pledge with example commitments (their text
says plainly that it is an example, not the partnership's own words), the demo assessments
linked to them, and a draft narrative. Loaded by `manage.py load_demo` (DEBUG only)."""

import datetime

from assessments.models import Assessment
from pledges import services
from pledges.models import Commitment, Pledge, PledgeVersion
from pledges.periods import FinancialYear

EXAMPLE_PLEDGE = "Example pledge (demo data)"
EXAMPLE_COMMITMENTS = (
    (
        "Example commitment: involve communities",
        "Example commitment: a placeholder written for the demo, "
        "not the partnership's words. Communities shape the work from the start.",
    ),
    (
        "Example commitment: use data well",
        "Example commitment: a placeholder written for the demo, "
        "not the partnership's words. Data on ethnicity is collected and used to act.",
    ),
    (
        "Example commitment: pay for lived experience",
        "Example commitment: a placeholder written for the "
        "demo, not the partnership's words. People who share their experience are paid for their time.",
    ),
)


def load_demo_content(users: dict) -> None:
    if Pledge.objects.filter(name=EXAMPLE_PLEDGE).exists():
        return
    pledge = Pledge.objects.create(name=EXAMPLE_PLEDGE)
    version = PledgeVersion.objects.create(
        pledge=pledge,
        label="Example 1",
        introduction=(
            "An example pledge for trying the service: admins replace it with the partnership's own."
        ),
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(version=version, number=number, name=name, text=text, starts_on=datetime.date(2024, 4, 1))
        for number, (name, text) in enumerate(EXAMPLE_COMMITMENTS, start=1)
    )
    services.pledge_version_publish(version=version)
    approver = users["approver"]
    for index, assessment in enumerate(
        Assessment.objects.exclude(status=Assessment.Status.WITHDRAWN).order_by("pk")
    ):
        if assessment.status == Assessment.Status.SUPERSEDED:
            continue
        chosen = [commitments[index % len(commitments)]]
        services.commitments_link(assessment=assessment, user=approver, commitments=chosen)
    services.report_narrative_save(
        period=FinancialYear.current(),
        user=users["staff"],
        pledge_id=pledge.pk,
        number=1,
        part="did",
        text="Example narrative: staff write here what the figures do not say.",
    )
