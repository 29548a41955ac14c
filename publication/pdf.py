"""The public summary and its Easy Read version as tagged PDFs, set by reporting's PDF code."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from publication import pictograms
from publication.models import PUBLIC_SUMMARY_FIELDS, PublicSummary
from reporting.pdf import render_document, text_lines

# Easy Read layout: A4 landscape, a large picture on the left of each point, large type.
EASY_READ_CSS = """
@page { size: A4 landscape; margin: 15mm 20mm; @top-left { content: none; } }
html { font-size: 18pt; line-height: 1.5; }
h1 { font-size: 28pt; color: #4a2b73; margin: 0 0 8mm; }
.point { break-inside: avoid; margin: 0 0 8mm; min-height: 40mm; }
.point img { float: left; width: 38mm; height: 38mm; margin-right: 12mm; }
.point p { margin: 0 0 0 50mm; padding-top: 8mm; }
.attribution { font-size: 10pt; clear: both; margin-top: 10mm; }
"""


def easy_read_points(summary: PublicSummary | None, *, inline: bool) -> list[dict]:
    """Each point with its picture: a data: URL for a PDF (``inline``), a static URL for a page."""
    if summary is None:
        return []
    return [
        {
            "text": point.text,
            "alt": pictograms.alt_text(point.pictogram),
            "src": pictograms.data_uri(point.pictogram) if inline else pictograms.static_url(point.pictogram),
        }
        for point in summary.easy_read_points.all()
    ]


def render_summary_pdf(
    *, publication, assessment, summary, decision_label, actions, justification="", **_context
) -> bytes:
    sections = _summary_sections(summary, justification)
    html = render_to_string(
        "publication/pdf/summary.html",
        {
            "assessment": assessment,
            "sections": sections,
            "actions": actions,
            "decision_label": decision_label,
            "publication": publication,
        },
    )
    return render_document(html)


def _summary_sections(summary: PublicSummary | None, justification: str) -> list:
    """Headings and lines: the public summary's, or why no assessment is needed."""
    if justification:
        return [(_("Why no assessment is needed"), text_lines(justification))]
    return [
        (str(PublicSummary._meta.get_field(name).verbose_name), text_lines(getattr(summary, name, "")))
        for name in PUBLIC_SUMMARY_FIELDS
    ]


def render_easy_read_pdf(*, assessment, summary, **_context) -> bytes:
    html = render_to_string(
        "publication/pdf/easy_read.html",
        {
            "assessment": assessment,
            "points": easy_read_points(summary, inline=True),
            "attribution": pictograms.ATTRIBUTION,
        },
    )
    return render_document(html, extra_css=EASY_READ_CSS)
