"""The register as open data: an Atom feed, CSV and JSON, with the same published records."""

import csv
import io
import json

import feedparser
import pytest
from django.urls import reverse

from publication import services
from publication.models import Publication
from publication.tests.factories import published, signed_off, summarised

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(staff_user, approver_user):
    shown = [published(staff_user, approver_user, title=f"Shown {n}") for n in range(2)]
    withdrawn = published(staff_user, approver_user, title="Withdrawn one")
    services.publication_withdraw(publication=withdrawn.publication, user=approver_user, reason="Wrong.")
    refused = signed_off(
        summarised(staff_user, title="Not published one"), owner=staff_user, approver=approver_user
    )
    services.publication_decide(
        assessment=refused, user=approver_user, decision=Publication.Decision.NOT_PUBLISHED, reason="Names."
    )
    summarised(staff_user, title="Draft one")
    return shown


def test_the_atom_feed_is_valid_atom_with_the_published_summaries_only(client, register):
    response = client.get(reverse("publication:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = {entry.title for entry in feed.entries}
    assert titles == {f"{a.reference}: {a.title}" for a in register}
    assert all(entry.link.startswith("http://testserver/register/") for entry in feed.entries)


def test_csv_and_json_hold_the_same_records_under_the_open_government_licence(client, register):
    csv_response = client.get(reverse("publication:csv"))
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8"))))
    body = json.loads(client.get(reverse("publication:json")).content)
    assert body["licence"] == "Open Government Licence v3.0"
    records = [{key: str(value) for key, value in record.items()} for record in body["records"]]
    assert rows == records
    assert {row["title"] for row in rows} == {a.title for a in register}
    assert all("Withdrawn" not in row["title"] and "Not published" not in row["title"] for row in rows)


def test_the_register_page_links_the_feed_and_the_open_data(client, register):
    page = client.get(reverse("publication:register")).content.decode()
    for name in ("feed", "csv", "json"):
        assert reverse(f"publication:{name}") in page
    assert "Open Government Licence" in page


def test_a_formula_typed_into_a_summary_is_written_to_csv_as_text(client, staff_user, approver_user):
    from publication.tests.factories import SUMMARY

    published(staff_user, approver_user, summary={**SUMMARY, "reach": '=HYPERLINK("http://x")'})
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("publication:csv")).content.decode())))
    assert rows[0]["reach"].startswith("'=")
