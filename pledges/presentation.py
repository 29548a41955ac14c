"""The report's document as people read it: figure rows, charts with their tables, the PDF."""

from __future__ import annotations

import json

from django.template.loader import render_to_string

from assessments.snapshots import fingerprint
from pledges.models import PledgeReport, ReportNarrative
from pledges.periods import FinancialYear
from pledges.selectors import FIGURES, OUTCOME_PARTS, RUNGS, report_draft
from reporting import charts
from reporting.insight import Tally
from reporting.pdf import render_document, text_lines

PDF_TEMPLATE = "pledges/pdf/report.html"
FINGERPRINT_MISMATCH = "The signed report no longer gives the fingerprint recorded at sign-off."
PART_LABELS = dict(ReportNarrative.Part.choices)


class FingerprintMismatch(Exception):
    pass


def report_document(period: FinancialYear, report: PledgeReport | None) -> tuple[dict, str]:
    """The signed document (checked against its fingerprint) or the draft of the record now."""
    if report is not None and report.is_signed_off:
        if fingerprint(report.document) != report.sha256:
            raise FingerprintMismatch(FINGERPRINT_MISMATCH)
        return json.loads(report.document), report.sha256
    return report_draft(period, report=report), ""


def figure_rows(document: dict, figures: dict) -> list[tuple[str, int]]:
    labels = [*FIGURES, *((f["key"], f["label"]) for f in document["extra_figures"])]
    return [(label, figures.get(key, 0)) for key, label in labels]


def rung_rows(figures: dict) -> list[tuple[str, int]]:
    return [(label, figures["participation"].get(rung, 0)) for rung, label in RUNGS]


def _commitment_label(commitment: dict, pledge: dict) -> str:
    return f"{pledge['name']}: {commitment['number']}. {commitment['name']}"


def chart_panels(document: dict) -> list[dict]:
    """Charts of the whole report, each drawn above a table of its numbers."""
    commitments = [(c, p) for p in document["pledges"] for c in p["commitments"]]
    totals = document["totals"]
    tallies = [
        (
            Tally(
                slug="pledge-assessments",
                title="Assessments signed off by commitment",
                row_header="Commitment",
                rows=[(c["key"], _commitment_label(c, p)) for c, p in commitments],
                columns=[("n", "Assessments signed off")],
                counts={(c["key"], "n"): c["figures"]["assessments_signed_off"] for c, _ in commitments},
            ),
            "How many assessments of work serving each commitment were signed off in the year. "
            "An assessment serving two commitments counts for each.",
        ),
        (
            Tally(
                slug="pledge-participation",
                title="Participation by rung of the ladder",
                row_header="Rung",
                rows=[(rung or "none", label) for rung, label in RUNGS],
                columns=[("n", "Contributions")],
                counts={(rung or "none", "n"): totals["participation"].get(rung, 0) for rung, _ in RUNGS},
            ),
            "How the people involved took part in the work assessed in the year, by rung of the "
            "participation ladder, from being informed to leading.",
        ),
        (
            Tally(
                slug="pledge-actions",
                title="Actions due in the year",
                row_header="Progress",
                rows=[
                    ("done", "Completed"),
                    ("overdue", "Overdue"),
                    ("cancelled", "Cancelled"),
                ],
                columns=[("n", "Actions")],
                counts={
                    ("done", "n"): totals["actions_completed"],
                    ("overdue", "n"): totals["actions_overdue"],
                    ("cancelled", "n"): totals["actions_cancelled"],
                },
            ),
            "Actions of the signed-off work serving the commitments, due in the year: completed, "
            "still open after their due date, and cancelled.",
        ),
    ]
    for table in document["tables"]:
        tallies.append(
            (
                Tally(
                    slug=f"pledge-{table['slug']}",
                    title=table["title"],
                    row_header=table["row_header"],
                    rows=[(str(i), label) for i, (label, _) in enumerate(table["rows"])],
                    columns=[("n", "Count")],
                    counts={(str(i), "n"): count for i, (_, count) in enumerate(table["rows"])},
                ),
                table.get("description", ""),
            )
        )
    return [
        {
            "tally": tally,
            "description": description,
            "chart": charts.bar_chart(
                tally, column="n", chart_id=f"chart-{tally.slug}", described_by=f"about-{tally.slug}"
            ),
        }
        for tally, description in tallies
    ]


def commitment_parts(document: dict) -> list[dict]:
    """Each pledge with its commitments, ready for a template: parts in order, with their text."""
    pledges = []
    for pledge in document["pledges"]:
        commitments = []
        for commitment in pledge["commitments"]:
            commitments.append(
                {
                    **commitment,
                    "text_lines": text_lines(commitment["text"]),
                    "narrative_lines": {
                        part: text_lines(text) if text else []
                        for part, text in commitment["narrative"].items()
                    },
                    "outcome_parts": [
                        (part, PART_LABELS[part], commitment[part], text_lines(commitment["narrative"][part]))
                        if commitment["narrative"].get(part)
                        else (part, PART_LABELS[part], commitment[part], [])
                        for part in OUTCOME_PARTS
                    ],
                    "figure_rows": figure_rows(document, commitment["figures"]),
                    "rung_rows": rung_rows(commitment["figures"]),
                }
            )
        pledges.append(
            {**pledge, "intro_lines": text_lines(pledge["introduction"]), "commitments": commitments}
        )
    return pledges


def report_context(document: dict, sha256: str) -> dict:
    return {
        "doc": document,
        "sha256": sha256,
        "pledges": commitment_parts(document),
        "total_rows": figure_rows(document, document["totals"]),
        "total_rungs": rung_rows(document["totals"]),
        "part_labels": PART_LABELS,
    }


def report_html(document: dict, sha256: str, *, public: bool = False) -> str:
    """The PDF's HTML; ``public``: as the register shows it, without the name of who signed it off."""
    return render_to_string(PDF_TEMPLATE, report_context(document, sha256) | {"public": public})


def render_report_pdf(document: dict, sha256: str, *, public: bool = False) -> bytes:
    return render_document(report_html(document, sha256, public=public))
