# The benchmark starts Django in subprocesses of its own, on this machine only.
# ruff: noqa: S603
"""The Pledge progress report at scale: with 5,000 seeded assessments and 2,000 outcome reviews,
its page and its PDF keep a fixed number of queries, and the report's PDF renders in under twice
the time of a single assessment's PDF of the same page count.

    .venv/bin/python bench/pledge_report.py          # 5,000 assessments, 2,000 outcome reviews
    .venv/bin/python bench/pledge_report.py --assessments 1000 --outcome-reviews 400 --small 100

It creates a PostgreSQL database of its own (``thrive_bench_pledge`` by default; as with
``bench/run.py``, only a database whose name starts with ``thrive_bench`` is ever dropped), seeds
``--small`` assessments with outcome reviews in the same proportion (``bench/seed_outcomes.py``),
links every signed-off one to an example pledge's commitments and counts the queries of the
report page and its PDF; then seeds up to ``--assessments`` (the seeder's usual mix, then as many
signed-off ones as it takes for ``--outcome-reviews`` to have one each) and ``--outcome-reviews``
outcome reviews, and counts again. At the larger size it times the page and the PDF of the
report for the financial year of the latest sign-off (the current one, but for its first weeks),
and the PDF of one signed-off assessment with as many actions as it takes to fill the same number
of pages. ``bench/run.py`` runs the same measures as its "pledge" step.

Inside Django (``DJANGO_SETTINGS_MODULE=bench.settings``, the benchmark's ``DATABASE_URL``):

    python -m bench.pledge_report counts       queries of the report page and its PDF, as JSON
    python -m bench.pledge_report times        render times and page counts, as JSON
    python -m bench.pledge_report outcomes N   outcome reviews up to N, as JSON
"""

import argparse
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
READER = "bench-pledge-reader"
EXAMPLE_PLEDGE = "Example pledge (benchmark data)"
COMMITMENTS = 6
TARGET_RATIO = 2.0
FROZEN_SHARE = 0.3  # of the seeder's usual mix: 20% signed off, 10% superseded
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/thrive_bench_pledge"


# Inside Django ------------------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def _link_everything() -> int:
    """An example pledge, and every signed-off assessment linked to one or two of its commitments
    (and one action in three to one of its own). Idempotent; in bulk."""
    import datetime

    from assessments.models import Action, Assessment
    from pledges import services
    from pledges.models import ActionCommitment, AssessmentCommitment, Commitment, Pledge, PledgeVersion

    pledge, created = Pledge.objects.get_or_create(name=EXAMPLE_PLEDGE)
    if created:
        version = PledgeVersion.objects.create(pledge=pledge, label="1")
        Commitment.objects.bulk_create(
            Commitment(
                version=version,
                number=n,
                name=f"Example commitment {n}",
                text=f"Example commitment: benchmark text {n}, not the partnership's words.",
                starts_on=datetime.date(2020, 4, 1),
            )
            for n in range(1, COMMITMENTS + 1)
        )
        services.pledge_version_publish(version=version)
    commitments = list(Commitment.objects.current().filter(version__pledge=pledge).order_by("number"))
    linked = set(AssessmentCommitment.objects.values_list("assessment_id", flat=True))
    new = [
        pk
        for pk in Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES).values_list(
            "pk", flat=True
        )
        if pk not in linked
    ]
    links = []
    for pk in new:
        links.append(AssessmentCommitment(assessment_id=pk, commitment=commitments[pk % COMMITMENTS]))
        if pk % 4 == 0:
            links.append(
                AssessmentCommitment(assessment_id=pk, commitment=commitments[(pk + 1) % COMMITMENTS])
            )
    AssessmentCommitment.objects.bulk_create(links, batch_size=2000)
    actions = Action.objects.filter(assessment_id__in=new).values_list("pk", flat=True)
    ActionCommitment.objects.bulk_create(
        (
            ActionCommitment(action_id=pk, commitment=commitments[(pk + 2) % COMMITMENTS])
            for pk in actions
            if pk % 3 == 0
        ),
        batch_size=2000,
    )
    return len(new)


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from thrive_edi.roles import Role
    from thrive_edi.services import user_create

    User = get_user_model()
    reader = User.objects.filter(username=READER).first() or user_create(
        username=READER,
        password=secrets.token_urlsafe(24),
        role=Role.STAFF,
        email="reader@bench.localhost",
        validate=False,
    )
    client = Client()
    client.force_login(reader)
    return client


def _period():
    """The financial year of the latest seeded sign-off: the current one, but for the first weeks
    of a year, when the seeder (whose latest sign-offs are a few weeks old) has none in it yet."""
    from django.db.models import Max
    from django.utils import timezone

    from assessments.models import Assessment
    from pledges.periods import FinancialYear

    latest = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES).aggregate(
        latest=Max("signed_off_at")
    )["latest"]
    return FinancialYear.of(timezone.localdate(latest)) if latest else FinancialYear.current()


def _urls() -> dict[str, str]:
    from django.urls import reverse

    year = _period().year
    return {"page": reverse("pledges:report", args=[year]), "pdf": reverse("pledges:report_pdf", args=[year])}


def counts() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Assessment
    from outcomes.models import OutcomeReview
    from pledges.selectors import OUTCOME_PARTS, report_draft
    from thrive_edi.middleware import SESSION_SEEN_KEY

    _link_everything()
    client = _client()
    result = {}
    for name, url in _urls().items():
        client.get(url)  # the session's first request writes it: not the report's own cost
        # A request a minute after the last write of the session writes it again (the idle
        # clock): at 5,000 assessments the PDF takes longer than that, so mark it seen now.
        session = client.session
        session[SESSION_SEEN_KEY] = int(time.time())
        session.save()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        result[name] = len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"
    document = report_draft(_period())
    result["assessments"] = Assessment.objects.count()
    result["outcome_reviews"] = OutcomeReview.objects.count()
    result["in_report"] = document["totals"]["assessments_signed_off"]
    result["outcome_items"] = sum(
        len(commitment[part])
        for pledge in document["pledges"]
        for commitment in pledge["commitments"]
        for part in OUTCOME_PARTS
    )
    return result


def outcomes(count: int) -> dict:
    """Outcome reviews for the seeded signed-off assessments, up to ``count``."""
    from bench.seed_outcomes import seed_outcome_reviews
    from outcomes.models import OutcomeReview

    added = seed_outcome_reviews(count=count)
    reviews = OutcomeReview.objects.all()
    return {
        "added": added,
        "reviews": reviews.count(),
        "signed_off": reviews.filter(status=OutcomeReview.Status.SIGNED_OFF).count(),
    }


def _timed(function, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def times(repeats: int = 3) -> dict:
    from assessments.models import Action
    from bench.seed import Seeder
    from pledges.presentation import render_report_pdf
    from pledges.selectors import report_draft
    from reporting.pdf import render_assessment_pdf

    _link_everything()
    client = _client()
    urls = _urls()
    period = _period()
    client.get(urls["page"])
    page_seconds, _ = _timed(lambda: client.get(urls["page"]), repeats)
    pdf_request_seconds, response = _timed(lambda: client.get(urls["pdf"]), repeats)
    document = report_draft(period)
    draft_seconds, _ = _timed(lambda: report_draft(period), repeats)
    render_seconds, report_pdf = _timed(lambda: render_report_pdf(document, ""), repeats)
    report_pages = _pages(report_pdf)

    # One signed-off assessment whose PDF has as many pages: as many actions as it takes.
    seeder = Seeder()
    tried: dict[int, tuple[int, object]] = {}

    def pages_with(actions: int) -> int:
        if actions not in tried:
            snapshot = seeder.full_assessment(actions=actions).snapshot
            tried[actions] = (_pages(render_assessment_pdf(snapshot.document, snapshot.sha256)), snapshot)
        return tried[actions][0]

    fewest, sample = pages_with(0), 30
    per_page = sample / max(1, pages_with(sample) - fewest)
    actions = max(0, round((report_pages - fewest) * per_page))
    for _ in range(6):
        pages = pages_with(actions)
        if pages == report_pages or (actions == 0 and pages > report_pages):
            break
        actions = max(0, actions + (1 if pages < report_pages else -1) * max(1, round(per_page / 2)))
    assessment_pages, snapshot = tried[actions]
    assessment_seconds, _ = _timed(lambda: render_assessment_pdf(snapshot.document, snapshot.sha256), repeats)
    return {
        "page_seconds": page_seconds,
        "pdf_request_seconds": pdf_request_seconds,
        "draft_seconds": draft_seconds,
        "render_seconds": render_seconds,
        "report_pages": report_pages,
        "report_bytes": len(response.content),
        "assessment_seconds": assessment_seconds,
        "assessment_pages": assessment_pages,
        "assessment_actions": Action.objects.filter(assessment=snapshot.assessment_id).count(),
        "tried": sorted((actions, pages) for actions, (pages, _) in tried.items()),
        "in_report": document["totals"]["assessments_signed_off"],
    }


# Outside: the database and the table --------------------------------------------------------------


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT),
    }


def inside(env: dict, *argv: str, module: str = "bench.pledge_report", timeout: int = 3600) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", module, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"{module} {' '.join(argv[:1])} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _size(counted: dict) -> str:
    reviews = counted.get("outcome_reviews")
    return f"{counted['assessments']:,} assessments" + (
        f" and {reviews:,} outcome reviews" if reviews is not None else ""
    )


def rows(small: dict, large: dict, timing: dict) -> list[tuple[str, str, str, bool | None]]:
    """(figure, value, target, met) of the step, as bench/run.py's table shows them."""
    ratio = timing["render_seconds"] / timing["assessment_seconds"]
    same_pages = timing["report_pages"] == timing["assessment_pages"]
    per_page = (timing["render_seconds"] / timing["report_pages"]) / (
        timing["assessment_seconds"] / timing["assessment_pages"]
    )
    return [
        *(
            (
                f"Queries: Pledge progress report {name}",
                f"{small[name]} at {_size(small)}, {large[name]} at {_size(large)}",
                "equal",
                small[name] == large[name],
            )
            for name in ("page", "pdf")
        ),
        (
            "Pledge report: page (draft counted afresh)",
            f"{timing['page_seconds'] * 1000:.0f} ms ({timing['in_report']:,} assessments in the year)",
            "",
            None,
        ),
        ("Pledge report: drafting from the record", f"{timing['draft_seconds'] * 1000:.0f} ms", "", None),
        ("Pledge report: PDF request (draft and render)", f"{timing['pdf_request_seconds']:.2f} s", "", None),
        (
            "Pledge report PDF render vs one assessment's PDF",
            f"{timing['render_seconds']:.2f} s for {timing['report_pages']} pages vs "
            f"{timing['assessment_seconds']:.2f} s for {timing['assessment_pages']} pages "
            f"({timing['assessment_actions']} actions): {ratio:.2f}x",
            f"< {TARGET_RATIO:.0f}x, same page count",
            ratio < TARGET_RATIO if same_pages else None,
        ),
        (
            "Pledge report PDF render per page vs one assessment's",
            f"{per_page:.2f}x",
            f"< {TARGET_RATIO:.0f}x",
            per_page < TARGET_RATIO,
        ),
    ]


def seed_to(env: dict, total: int, frozen: int, log=print) -> dict:
    """Seed up to ``total`` assessments of which at least ``frozen`` are signed off or superseded
    (so that as many can have an outcome review): the seeder's usual mix first, then as many
    signed-off ones as it takes to reach ``total``."""
    # The usual mix signs off three in ten (superseded included); each signed-off one added
    # after it counts fully. 0.9: room for the mix's rounding.
    base = max(1, min(total, int((total - frozen) / (1 - FROZEN_SHARE) * 0.9)))
    mixed = inside(env, "seed", str(base), "--force", module="bench.inside")
    extra = max(0, total - mixed["total"])
    now = mixed["signed_off"] + mixed["superseded"]
    if now + extra < frozen:
        raise SystemExit(f"cannot reach {frozen:,} signed-off assessments in {total:,}")
    seeded = inside(
        env,
        "seed",
        str(mixed["total"]),
        "--signed-off",
        str(mixed["signed_off"] + extra),
        "--force",
        module="bench.inside",
    )
    frozen_now = seeded["signed_off"] + seeded["superseded"]
    log(f"pledge report: seeded {seeded['total']:,} assessments, {frozen_now:,} signed off")
    return seeded


def measure(
    database_url: str,
    *,
    assessments: int = 5000,
    outcome_reviews: int = 2000,
    small: int = 200,
    reuse: bool = False,
    log=print,
) -> tuple[dict, dict, dict]:
    """The step in its own database: (queries at the small size, queries at the full size,
    times at the full size). The small size has outcome reviews in the same proportion."""
    sys.path.insert(0, str(ROOT))
    from bench.harness import Database

    database = Database(database_url)
    env = environment(database_url)
    if not (reuse and database.exists()):
        log(f"pledge report: creating the database {database.name}")
        database.recreate()
    for command in ("migrate", "collectstatic"):
        subprocess.run(
            [PYTHON, "manage.py", command, "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
        )
    small_reviews = max(1, round(small * outcome_reviews / assessments))
    sizes = ((small, small_reviews), (assessments, outcome_reviews))
    measured = []
    for total, reviews in sizes:
        seed_to(env, total, reviews, log)
        made = inside(env, "outcomes", str(reviews))
        log(f"pledge report: {made['reviews']:,} outcome reviews, {made['signed_off']:,} signed off")
        measured.append(inside(env, "counts"))
    log("pledge report: timing the page, its PDF and a single assessment's PDF")
    return measured[0], measured[1], inside(env, "times")


def print_rows(small: dict, large: dict, timing: dict) -> None:
    print(f"Pledge progress report benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs")
    for figure, value, target, met in rows(small, large, timing):
        verdict = "" if met is None else ("met" if met else "MISSED")
        print(f"| {figure} | {value} | {target} | {verdict} |")
    print(f"- pages tried for the single assessment (actions, pages): {timing['tried']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/pledge_report.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("counts")
    timed = sub.add_parser("times")
    timed.add_argument("--repeats", type=int, default=3)
    reviews = sub.add_parser("outcomes")
    reviews.add_argument("count", type=int)
    parser.add_argument("--assessments", type=int, default=5000)
    parser.add_argument("--outcome-reviews", type=int, default=2000, help="outcome reviews at the full size")
    parser.add_argument("--small", type=int, default=200, help="assessments at the small size")
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--reuse", action="store_true", help="reuse the seeded database of an earlier run")
    args = parser.parse_args(argv)
    if args.command:
        _setup()
        if args.command == "counts":
            result = counts()
        elif args.command == "times":
            result = times(args.repeats)
        else:
            result = outcomes(args.count)
        sys.stdout.write(json.dumps(result) + "\n")
        return 0
    small, large, timing = measure(
        args.database_url,
        assessments=args.assessments,
        outcome_reviews=args.outcome_reviews,
        small=args.small,
        reuse=args.reuse,
    )
    print_rows(small, large, timing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
