"""The register's open data, linked from the register's page: CSV and JSON."""

import csv
import json

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from publication import opendata
from publication.caching import cached_for_anonymous

# What a spreadsheet reads as the start of a formula. (An empty cell stays empty.)
FORMULA_STARTS = ("=", "+", "-", "@")


@login_not_required
@require_GET
@cached_for_anonymous
def register_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thrive-edi-register.csv"'
    writer = csv.DictWriter(response, fieldnames=opendata.FIELDS)
    writer.writeheader()
    for row in opendata.records(request.build_absolute_uri):
        # Cells that a spreadsheet would read as a formula are written as text.
        writer.writerow(
            {k: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for k, v in row.items()}
        )
    return response


@login_not_required
@require_GET
@cached_for_anonymous
def register_json(request: HttpRequest) -> HttpResponse:
    body = {
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "publisher": "Thrive LDN",
        "records": opendata.records(request.build_absolute_uri),
    }
    return HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
