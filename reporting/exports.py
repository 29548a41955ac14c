"""Exports of what a user may read: tables as CSV or XLSX, one assessment as JSON.

Rows are read with ``.iterator()`` and CSV is streamed, so a large export never sits in
memory whole; XLSX is written by openpyxl's write-only workbook to a temporary file. A text
cell that a spreadsheet would take for a formula is prefixed with a quote.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Prefetch, QuerySet, When
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assessments.models import Action, Assessment, ImpactRating
from assessments.places import PlaceReader, with_place_ids
from assessments.selectors import assessment_content
from assessments.snapshots import canonical_json, snapshot_document
from frameworks.models import Characteristic, FrameworkVersion
from frameworks.scales import Scale
from thrive_edi.people import person_name

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
# Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
BOM = "\ufeff"  # so that spreadsheet programs read the file as UTF-8


@dataclass(frozen=True)
class ExportTable:
    title: str
    headers: list[str]
    rows: Iterable[list]


def guard(value):
    """A cell value that no spreadsheet will run: formula-like text gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _local(moment: datetime | None) -> datetime | None:
    """Local wall-clock time without a zone: spreadsheets have no time zones."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _person(user) -> str:
    return person_name(user) if user else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


class _Labels:
    """The wording of scale keys in each framework version, read once for the whole export."""

    def __init__(self):
        self.versions = {
            version.pk: version for version in FrameworkVersion.objects.prefetch_related("scale_options")
        }

    def __call__(self, version_id: int, scale: Scale, key: str) -> str:
        return self.versions[version_id].label_for(scale, key) if key else ""

    def version_name(self, version_id: int) -> str:
        version = self.versions[version_id]
        return f"{version.name} {version.label}"


def assessments_table(assessments: QuerySet[Assessment]) -> ExportTable:
    labels = _Labels()
    places = PlaceReader()
    rows = (
        [
            a.reference,
            a.title,
            labels(a.framework_version_id, Scale.ACTIVITY_TYPE, a.activity_type),
            a.get_status_display(),
            _person(a.owner),
            labels.version_name(a.framework_version_id),
            labels(a.framework_version_id, Scale.DECISION, a.decision),
            a.review_date,
            _local(a.submitted_at),
            _local(a.signed_off_at),
            places.names(a),
            places.codes(a),
        ]
        for a in with_place_ids(assessments.select_related("owner"))
        .order_by("reference")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    headers = [
        "Reference",
        "Title",
        "Activity type",
        "Status",
        "Owner",
        "Framework version",
        "Decision",
        "Review date",
        "Submitted",
        "Signed off",
        "Where it takes place",
        "GSS codes",
    ]
    return ExportTable("Assessments", headers, rows)


def impacts_table(assessments: QuerySet[Assessment]) -> ExportTable:
    labels = _Labels()
    ratings = (
        ImpactRating.objects.filter(assessment__in=assessments.order_by().values("pk"))
        .select_related("assessment", "characteristic")
        .order_by(
            "assessment__reference",
            Case(When(characteristic__kind=Characteristic.Kind.PROTECTED, then=0), default=1),
            "characteristic__order",
            "characteristic__pk",
        )
    )
    rows = (
        [
            r.assessment.reference,
            r.characteristic.name,
            labels(r.assessment.framework_version_id, Scale.IMPACT, r.impact),
            labels(r.assessment.framework_version_id, Scale.EVIDENCE_CONFIDENCE, r.confidence),
            _yes_no(r.data_gap),
            r.evidence,
        ]
        for r in ratings.iterator(chunk_size=CHUNK_SIZE)
    )
    headers = ["Reference", "Characteristic", "Impact", "Confidence", "Data gap", "Evidence"]
    return ExportTable("Impact ratings", headers, rows)


def actions_table(assessments: QuerySet[Assessment]) -> ExportTable:
    actions = (
        Action.objects.filter(assessment__in=assessments.order_by().values("pk"))
        .select_related("assessment", "owner")
        .prefetch_related(
            Prefetch("characteristics", queryset=Characteristic.objects.order_by("order", "pk"))
        )
        .order_by("assessment__reference", "pk")
    )
    rows = (
        [
            a.assessment.reference,
            a.issue,
            a.action,
            _person(a.owner),
            a.due_date,
            a.get_status_display(),
            "; ".join(c.name for c in a.characteristics.all()),
        ]
        for a in actions.iterator(chunk_size=CHUNK_SIZE)
    )
    headers = ["Reference", "Issue", "Action", "Owner", "Due date", "Status", "Characteristics"]
    return ExportTable("Actions", headers, rows)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    build: Callable[[QuerySet[Assessment]], ExportTable]


DATASETS = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "assessments",
            "Assessments",
            "One row per assessment: reference, title, activity type, status, owner, framework version, "
            "decision, review date, when it was submitted and signed off, and where it takes place "
            "(London-wide, or local authorities by name and GSS code).",
            assessments_table,
        ),
        Dataset(
            "impacts",
            "Impact ratings",
            "One row per characteristic of each assessment: the impact, the confidence in the evidence, "
            "whether there is a data gap, and the evidence.",
            impacts_table,
        ),
        Dataset(
            "actions",
            "Actions",
            "One row per action: the issue, the action, its owner, due date and status, and the "
            "characteristics it addresses.",
            actions_table,
        ),
    )
}


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(guard(value))


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(table: ExportTable) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(table.headers)
    for row in table.rows:
        yield writer.writerow([_csv_text(value) for value in row])


def csv_response(table: ExportTable, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(table), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _xlsx_value(value):
    if isinstance(value, str):
        return guard(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def xlsx_response(table: ExportTable, filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title)
    bold = Font(bold=True)
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_value(value) for value in row])
    # On disk rather than in memory; FileResponse closes it once sent, which deletes it.
    stored = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(stored)
    stored.seek(0)
    return FileResponse(stored, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def assessment_document(assessment: Assessment) -> str:
    """A signed-off assessment's snapshot, byte for byte; for others, the same shape built now."""
    if assessment.is_frozen and hasattr(assessment, "snapshot"):
        return assessment.snapshot.document
    content = assessment_content(assessment)
    document = snapshot_document(content, signed_off_by=None, signed_off_at=None)
    document["assessment"]["status"] = {"key": assessment.status, "label": assessment.get_status_display()}
    return canonical_json(document)


def json_response(assessment: Assessment) -> HttpResponse:
    response = HttpResponse(assessment_document(assessment), content_type=JSON_CONTENT_TYPE)
    filename = f"{assessment.reference}-v{assessment.version_number}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
