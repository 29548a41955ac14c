"""The parts of the cluster proof that run inside Django, against the cluster's database.

    python -m bench.cluster_inside signoffs PLAN.json N SECONDS   sign off N assessments in review
                                                                  over SECONDS, each PDF asked for
                                                                  three times at once
    python -m bench.cluster_inside pdfs REFERENCES.json           each PDF made once and stored
    python -m bench.cluster_inside queue                          tasks waiting or running
    python -m bench.cluster_inside user NAME --password=P         a member of staff to sign in as
    python -m bench.cluster_inside codes PLAN.json                new recovery codes for the plan's
                                                                  approvers (each run of the load
                                                                  uses up the codes it signs in with)

``bench/cluster.py`` runs these with the cluster's settings (``deploy/local-cluster env``); each
prints one JSON object on its last line.
"""

import argparse
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive_edi.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django_tasks.base import TaskResultStatus  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from assessments import lifecycle  # noqa: E402
from assessments.models import Assessment  # noqa: E402
from assessments.permissions import is_involved  # noqa: E402
from reporting import pdf  # noqa: E402
from reporting.models import RenderedPdf  # noqa: E402
from reporting.tasks import render_pdf  # noqa: E402
from thrive_edi.roles import Role  # noqa: E402
from thrive_edi.tests.factories import UserFactory  # noqa: E402


def emit(result) -> None:
    sys.stdout.write(json.dumps(result) + "\n")


def signoffs(plan_path: str, count: int, seconds: float) -> None:
    """Sign off ``count`` assessments in review that the load test's approvers leave alone.

    Each sign-off queues its PDF; the PDF is then asked for twice more at once (as a retry from
    cron and a second trigger would), so that the two task workers race for it.
    """
    with open(plan_path) as handle:
        plan = json.load(handle)
    reviewed = {reference for entry in plan["load"]["approvers"] for reference in entry["review"]}
    approvers = [entry["username"] for entry in plan["load"]["approvers"]]
    candidates = (
        Assessment.objects.filter(status=Assessment.Status.IN_REVIEW)
        .exclude(reference__in=reviewed)
        .select_related("owner")
        .order_by("pk")
    )
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(username__in=approvers))
    signed, refused = [], []
    pause = seconds / max(count, 1)
    for assessment in candidates:
        if len(signed) == count:
            break
        approver = next((u for u in users if not is_involved(u, assessment)), None)
        if approver is None:
            continue
        try:
            with transaction.atomic():
                snapshot = lifecycle.assessment_sign_off(
                    assessment=assessment, user=approver, declaration=True
                )
                transaction.on_commit(lambda pk=snapshot.pk: [render_pdf.enqueue(pk) for _ in range(2)])
        except Exception as error:  # an assessment the rules do not let be signed off: the next one
            refused.append(f"{assessment.reference}: {type(error).__name__}: {error}"[:200])
            continue
        signed.append(assessment.reference)
        time.sleep(pause)
    emit({"signed_off": signed, "refused": refused[:5]})


def pdfs(references_path: str) -> None:
    """Each signed-off assessment's PDF: ready, rendered in one attempt, stored once, intact."""
    with open(references_path) as handle:
        references = json.load(handle)
    storage_dir = os.path.join(settings.MEDIA_ROOT, "assessments")
    stored = os.listdir(storage_dir) if os.path.isdir(storage_dir) else []
    results = {}
    for reference in references:
        rendered = RenderedPdf.objects.select_related("snapshot__assessment").get(
            snapshot__assessment__reference=reference
        )
        prefix = rendered.download_name.removesuffix(".pdf")
        files = [name for name in stored if name.startswith(prefix)]
        intact = False
        if rendered.file:
            with rendered.file.open("rb") as handle:
                intact = pdf.file_sha256(handle.read()) == rendered.sha256
        results[reference] = {
            "status": rendered.status,
            "attempts": rendered.attempts,
            "files": len(files),
            "intact": intact,
        }
    emit({"pdfs": results})


def queue() -> None:
    waiting = DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    emit({"waiting": waiting.count()})


def user(name: str, password: str) -> None:
    UserFactory(username=name, role=Role.STAFF, password=password)
    emit({"user": name})


def codes(plan_path: str) -> None:
    from django.contrib.auth import get_user_model

    from thrive_edi.two_factor.services import recovery_codes_make

    with open(plan_path) as handle:
        plan = json.load(handle)
    for entry in plan["load"]["approvers"]:
        entry["recovery_codes"] = recovery_codes_make(
            user=get_user_model().objects.get(username=entry["username"])
        )
    with open(plan_path, "w") as handle:
        json.dump(plan, handle)
    emit({"approvers": len(plan["load"]["approvers"])})


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster_inside", description=__doc__)
    parser.add_argument("command", choices=["signoffs", "pdfs", "queue", "user", "codes"])
    parser.add_argument("arguments", nargs="*")
    # Given as --password=VALUE (``harness.password_option``): a random password may start with "-".
    parser.add_argument("--password")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse(argv)
    if args.command == "signoffs":
        signoffs(args.arguments[0], int(args.arguments[1]), float(args.arguments[2]))
    elif args.command == "pdfs":
        pdfs(args.arguments[0])
    elif args.command == "queue":
        queue()
    elif args.command == "codes":
        codes(args.arguments[0])
    else:
        user(args.arguments[0], args.password)


if __name__ == "__main__":
    main(sys.argv[1:])
