"""How the reporting tests read what the pages serve: exported tables and drawn charts."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from reporting.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

SVG = "{http://www.w3.org/2000/svg}"


def table_url(dataset: str, file_format: str) -> str:
    return reverse("reporting:export_table", args=[dataset, file_format])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
