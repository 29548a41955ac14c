"""The parts of the benchmark that run inside Django, against the benchmark database.

    python -m bench.inside seed N [--signed-off M] [--password P] [--force]
    python -m bench.inside plan PLAN.json --password P      which pages, users and rows to use
    python -m bench.inside querycounts PLAN.json            queries of every page, as JSON
    python -m bench.inside pdf PLAN.json                    full-assessment PDF against plain HTML
    python -m bench.inside verify SAVES.jsonl               every save of the load test is stored
    python -m bench.inside counts                           assessments by status
    python -m bench.inside uncache                          forget the cached dashboard counts

``bench/run.py`` calls these with ``DJANGO_SETTINGS_MODULE=bench.settings`` and the
benchmark's ``DATABASE_URL``; each prints one JSON object on its last line.
"""

import argparse
import json
import os
import sys
import time
from html import escape

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Action, Assessment, ReviewComment  # noqa: E402
from assessments.sections import SectionEditor  # noqa: E402
from assessments.selectors import assessment_content, ordered_ratings  # noqa: E402
from bench.pages import APPROVER, BOARD, STAFF, counted_pages, verify_in_session  # noqa: E402
from bench.rounds import alternating  # noqa: E402
from bench.seed import Seeder, seed_demo  # noqa: E402
from bench.urls import CACHE_KEY, CACHED_DASHBOARD_PATH  # noqa: E402
from reporting import services as pdf_services  # noqa: E402
from thrive_edi.two_factor.policy import second_factor_required  # noqa: E402
from thrive_edi.two_factor.services import recovery_codes_make  # noqa: E402

SAVE_SECTION = "impacts"  # the longest form: a row for each of the 24 characteristics
SAVE_TARGETS = 20  # section saves: one assessment per wrk connection, so that none waits on another
FULL_ACTIONS = 30  # the full assessment of the PDF figures: every section, 24 characteristics, 30 actions
MARKER = "__N__"  # replaced by a counter in each POST of the throughput run
REVISION = "__REV__"  # replaced by the revision each POST is based on


def emit(result) -> None:
    sys.stdout.write(json.dumps(result) + "\n")


# Seeding ------------------------------------------------------------------------------------------


def seed(total: int, signed_off: int = 0, password: str | None = None, force: bool = False) -> None:
    started = time.monotonic()
    added = seed_demo(
        assessments=total,
        signed_off=signed_off,
        password=password,
        force=force,
        out=lambda m: print(m, file=sys.stderr),
    )
    emit({"added": added, "seconds": round(time.monotonic() - started, 1), **status_counts()})


def status_counts() -> dict:
    counts = dict(Assessment.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "total": sum(counts.values()),
        **{status: counts.get(status, 0) for status in Assessment.Status.values},
    }


# The plan: which pages, users, and rows the benchmark uses ------------------------------------------


def _editable_of(username: str):
    return Assessment.objects.filter(
        owner__username=username, status__in=Assessment.EDITABLE_STATUSES
    ).order_by("pk")


def _save_body(assessment: Assessment, section_key: str) -> tuple[str, str, int]:
    """The section page as a browser posts it, with one evidence text that changes each time.

    Returns the path, the body (``__N__`` marks the changing text, ``__REV__`` the revision the
    save is based on) and the section's current revision.
    """
    from urllib.parse import urlencode

    content = assessment_content(assessment)
    section = content.section_by_key(section_key)
    values = SectionEditor(content, section).posted_values()
    values["impacts-0-evidence"] = [f"Evidence from the benchmark, save {MARKER}."]
    values.update(intent=["later"], completed=["no"], revision=[REVISION])
    progress = content.progress.get(section.pk)
    path = reverse("assessments:section", args=[assessment.reference, section_key])
    return path, urlencode(values, doseq=True), progress.revision if progress else 0


def _read_pages(drafts: list[Assessment]) -> tuple[str, dict[str, str]]:
    """The pages people read most: the task list of a draft with few sections done, of an
    assessment with changes requested (every section completed, as its owner reads it) and of a
    signed-off one (complete); check answers and the history of the signed-off one."""
    changes = (
        Assessment.objects.filter(status=Assessment.Status.CHANGES_REQUESTED)
        .select_related("owner")
        .order_by("pk")
        .first()
    )
    # New work starts with a screening: the signed-off assessment read is one that had one.
    signed_off = Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF).order_by("pk")
    signed = signed_off.filter(screening_status=Assessment.Screening.CONFIRMED).first() or signed_off.first()
    if changes is None or signed is None:
        raise SystemExit("The seeded data holds no assessment with changes requested or signed off.")
    pages = {
        "task_list": reverse("assessments:detail", args=[drafts[0].reference]),
        "task_list_changes": reverse("assessments:detail", args=[changes.reference]),
        "task_list_signed": reverse("assessments:detail", args=[signed.reference]),
        "check": reverse("assessments:check", args=[signed.reference]),
        "history": reverse("assessments:history", args=[signed.reference]),
    }
    return changes.owner.username, pages


def _published(assessment: Assessment) -> Assessment:
    """A signed-off assessment with a public summary published on the register."""
    from publication.models import PUBLIC_SUMMARY_FIELDS, Publication, PublicSummary

    PublicSummary.objects.get_or_create(
        assessment=assessment, defaults={name: f"Benchmark {name} text." for name in PUBLIC_SUMMARY_FIELDS}
    )
    Publication.objects.get_or_create(
        assessment=assessment, defaults={"decided_at": timezone.now(), "decided_by": assessment.signed_off_by}
    )
    return assessment


def plan(path: str, password: str) -> None:
    seeder = Seeder(password=password)
    full = (
        Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF)
        .annotate(n=Count("actions"))
        .filter(n=FULL_ACTIONS)
        .first()
    ) or seeder.full_assessment(actions=FULL_ACTIONS)
    drafts = list(_editable_of(STAFF)[:SAVE_TARGETS])
    if not drafts:
        raise SystemExit(f"{STAFF} owns no editable assessment: seed more assessments.")
    saves = [_save_body(a, SAVE_SECTION) for a in drafts]
    signed_off = list(
        Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF)
        .exclude(pk=full.pk)
        .order_by("-pk")[:20]
    )
    User = get_user_model()
    staff = User.objects.filter(username__startswith="seed-staff-").order_by("username")
    approvers = User.objects.filter(username__startswith="seed-approver-").order_by("username")
    boards = User.objects.filter(username__startswith="seed-board-").order_by("username")
    taken = [d.pk for d in drafts]
    in_review = list(Assessment.objects.filter(status=Assessment.Status.IN_REVIEW).select_related("owner"))
    owner, read_pages = _read_pages(drafts)
    result = {
        "staff": STAFF,
        "owner": owner,
        "approver": APPROVER,
        "board": BOARD,
        "full_reference": full.reference,
        "pages": {
            "trivial": "/bench/trivial/",
            "list": reverse("assessments:list"),
            **read_pages,
            "section": reverse("assessments:section", args=[drafts[0].reference, SAVE_SECTION]),
            "save_paths": [p for p, _, _ in saves],
            "save_bodies": [b for _, b, _ in saves],
            "portal": reverse("reporting:portal"),
            "dashboard": reverse("reporting:dashboard"),
            "dashboard_cached": f"/{CACHED_DASHBOARD_PATH}",
            "full_pdf": reverse("reporting:assessment_pdf", args=[full.reference]),
            "public_trivial": "/bench/trivial/public/",
            "register": reverse("publication:register"),
            "register_summary": reverse("publication:summary", args=[_published(signed_off[0]).reference]),
        },
        "load": {
            # Each simulated member of staff edits assessments of their own, so that two never
            # edit the same section: saves that conflict are the subject of other tests.
            "staff": [
                {
                    "username": user.username,
                    "assessments": [
                        a.reference for a in _editable_of(user.username).exclude(pk__in=taken)[:6]
                    ],
                }
                for user in staff
            ],
            "approvers": [
                {
                    "username": user.username,
                    # Approvers sign in with a second factor: a recovery code for each sign-in.
                    "recovery_codes": recovery_codes_make(user=user),
                    "review": [
                        a.reference
                        for a in in_review
                        if a.owner_id != user.pk and not a.collaborators.filter(pk=user.pk).exists()
                    ][:15],
                }
                for user in approvers
            ],
            "board": [user.username for user in boards],
            "pdfs": [reverse("reporting:assessment_pdf", args=[a.reference]) for a in signed_off],
            "portal": reverse("reporting:portal"),
        },
    }
    _render_stored_pdfs(signed_off)
    with open(path, "w") as handle:
        json.dump(result, handle)
    emit({"plan": path, "full_reference": full.reference, "save_targets": len(saves)})


def _render_stored_pdfs(assessments) -> None:
    """PDFs are rendered at sign-off in production; seeded sign-offs have none yet: make them."""
    for assessment in assessments:
        pdf_services.pdf_request(snapshot=assessment.snapshot)
        pdf_services.pdf_render(snapshot_id=assessment.snapshot.pk)


# Query counts --------------------------------------------------------------------------------------


def querycounts() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    User = get_user_model()
    counts = {}
    for page in counted_pages().values():
        client = Client()
        reader = User.objects.get(username=page.reader)
        client.force_login(reader)
        if second_factor_required(reader):
            verify_in_session(client, reader)  # signed in with the second factor, as approvers are
        client.get(page.url)  # the first request of a session writes the session: not the page's own cost
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        counts[page.name] = len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"
    emit({"counts": counts, "assessments": Assessment.objects.count()})


# PDF -----------------------------------------------------------------------------------------------


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key in sorted(value):
            _strings(value[key], out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)


def plain_html(document: dict) -> str:
    """The same text as the full PDF, as plain unstyled HTML: headings, paragraphs and tables."""
    parts = [
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Plain</title></head><body>'
    ]
    meta = document["assessment"]
    parts.append(f"<h1>{escape(meta['reference'])}: {escape(meta['title'])}</h1>")
    strings: list[str] = []
    _strings(meta, strings)
    parts += [f"<p>{escape(s)}</p>" for s in strings]
    for section in document["sections"]:
        parts.append(f"<h2>{escape(section['title'])}</h2><p>{escape(section['purpose'])}</p>")
        for answer in section["answers"]:
            parts.append(f"<h3>{escape(str(answer['question']))}</h3><p>{escape(str(answer['answer']))}</p>")
        for table in section["tables"]:
            parts.append(f"<table><caption>{escape(table['caption'])}</caption><tr>")
            parts += [f"<th>{escape(h)}</th>" for h in table["headers"]]
            parts.append("</tr>")
            for row in table["rows"]:
                parts.append("<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>")
            parts.append("</table>")
    strings = []
    _strings(document["framework"], strings)
    parts += [f"<p>{escape(s)}</p>" for s in strings]
    parts.append("</body></html>")
    return "".join(parts)


def pdf(plan_path: str, pairs: int = 5) -> None:
    import io

    from pypdf import PdfReader

    with open(plan_path) as handle:
        data = json.load(handle)
    assessment = Assessment.objects.select_related("snapshot").get(reference=data["full_reference"])
    snapshot = assessment.snapshot
    document = json.loads(snapshot.document)
    html = plain_html(document)
    from weasyprint import HTML

    from reporting.pdf import PDF_VARIANT
    from reporting.pdf import render_assessment_pdf as render_full

    def render_plain(text: str) -> bytes:
        """WeasyPrint with no stylesheet at all, tagged as the real PDFs are."""
        return HTML(string=text, base_url="about:blank").write_pdf(pdf_variant=PDF_VARIANT)

    render_full(snapshot.document, snapshot.sha256)  # fonts and stylesheet loaded once, as in a worker
    render_plain(html)
    # In turn, a ratio a pair: the renderings last seconds, long enough for the machine's pace to change.
    timed = alternating(
        lambda: render_full(snapshot.document, snapshot.sha256), lambda: render_plain(html), pairs
    )
    emit(
        {
            "available": True,
            "ratio": timed.ratio,
            "ratios": timed.ratios,
            "full_seconds": timed.first_seconds,
            "plain_seconds": timed.second_seconds,
            "full_pages": len(PdfReader(io.BytesIO(timed.first_result)).pages),
            "plain_pages": len(PdfReader(io.BytesIO(timed.second_result)).pages),
            "characteristics": len(document["ratings"]),
            "actions": Action.objects.filter(assessment=assessment).count(),
            "sections": len(document["sections"]),
        }
    )


# Load test verification --------------------------------------------------------------------------


def verify(saves_path: str) -> None:
    """Every save a simulated user saw succeed is in the database, and the last one of each field stands."""
    from assessments.models import Answer, ImpactRating

    HistoricalAnswer, HistoricalRating = Answer.history.model, ImpactRating.history.model
    with open(saves_path) as handle:
        saves = [json.loads(line) for line in handle if line.strip()]
    missing, overwritten, last = [], [], {}
    for save in saves:
        assessment = Assessment.objects.get(reference=save["reference"])
        if save["kind"] == "comment":
            found = ReviewComment.objects.filter(assessment=assessment, text=save["marker"]).exists()
        elif save["kind"] == "answer":
            found = HistoricalAnswer.objects.filter(
                assessment_id=assessment.pk, value=save["marker"]
            ).exists()
            last[(save["reference"], save["field"], "answer")] = save
        else:
            found = HistoricalRating.objects.filter(
                assessment_id=assessment.pk, evidence=save["marker"]
            ).exists()
            last[(save["reference"], save["field"], "rating")] = save
        if not found:
            missing.append(save)
    for (reference, field, kind), save in last.items():
        if kind == "answer":
            current = (
                Answer.objects.filter(assessment__reference=reference, question__key=field.removeprefix("q-"))
                .values_list("value", flat=True)
                .first()
            )
        else:
            index = int(field.split("-")[1])
            assessment = Assessment.objects.get(reference=reference)
            ratings = list(ordered_ratings(assessment))
            current = ratings[index].evidence
        if current != save["marker"]:
            overwritten.append({**save, "stored": current})
    emit(
        {
            "saves": len(saves),
            "missing": len(missing),
            "not_last": len(overwritten),
            "examples": (missing + overwritten)[:3],
        }
    )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.inside", description=__doc__)
    parser.add_argument(
        "command", choices=["seed", "plan", "querycounts", "pdf", "verify", "counts", "uncache"]
    )
    parser.add_argument("path_or_number", nargs="?")
    parser.add_argument("--signed-off", type=int, default=0)
    parser.add_argument("--password")
    parser.add_argument("--force", action="store_true", help="seed even with DEBUG off")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse(argv)
    if args.command == "seed":
        seed(int(args.path_or_number), args.signed_off, args.password, args.force)
    elif args.command == "plan":
        plan(args.path_or_number, args.password)
    elif args.command == "querycounts":
        querycounts()
    elif args.command == "pdf":
        pdf(args.path_or_number)
    elif args.command == "verify":
        verify(args.path_or_number)
    elif args.command == "uncache":
        cache.delete(CACHE_KEY)  # as a sign-off would
        emit({"uncached": CACHE_KEY})
    else:
        emit(status_counts())


if __name__ == "__main__":
    main(sys.argv[1:])
