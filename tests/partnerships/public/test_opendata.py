"""The open-data files: /partnerships/register.csv and /partnerships/register.json."""

import csv
import datetime
import io
import json

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse

from partnerships.models import Sector
from partnerships.public.fields import PUBLIC_FIELDS, public_entries, public_record, public_records_in_bulk
from partnerships.public.opendata import LICENCE, LICENCE_URL, neutralise
from tests.partnerships.factories import public_entry

pytestmark = pytest.mark.django_db

CSV_URL = "/partnerships/register.csv"
JSON_URL = "/partnerships/register.json"
TODAY = datetime.date.today()


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def csv_rows(client):
    _, content = download(client, CSV_URL)
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def json_document(client):
    _, content = download(client, JSON_URL)
    return json.loads(content.decode("utf-8"))


@pytest.fixture
def entries(portal_site):
    return [
        public_entry(
            name="Community Safety Partnership",
            purpose='Reducing crime.\nAnd disorder, with "quotes", commas; and semicolons.',
            partners=[("Lancashire Constabulary", Sector.PUBLIC), ("Café Société", Sector.VOLUNTARY)],
            priorities=["Safer communities", "Thriving economy"],
            start_date=datetime.date(2020, 4, 1),
        ),
        public_entry(name="Health and Wellbeing Board", start_date=None),
    ]


def test_csv_is_a_streamed_download_named_by_date(client, entries):
    response, _ = download(client, CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="partnership-register-{TODAY.isoformat()}.csv"'


def test_csv_header_row_is_the_labels_of_the_public_fields(client, entries):
    rows = csv_rows(client)
    assert rows[0] == [field.label for field in PUBLIC_FIELDS]


def test_csv_has_one_parseable_row_per_public_entry(client, entries):
    header, *rows = csv_rows(client)
    assert len(rows) == 2
    assert all(len(row) == len(header) for row in rows)
    first = dict(zip(header, rows[0], strict=True))
    assert first["Reference"] == entries[0].reference
    assert first["Name"] == "Community Safety Partnership"
    assert first["Purpose and aims"] == 'Reducing crime.\nAnd disorder, with "quotes", commas; and semicolons.'
    assert first["Partner organisations"] == "Lancashire Constabulary (Public); Café Société (Voluntary and community)"
    assert first["Council priorities supported"] == "Safer communities; Thriving economy"
    assert first["Start date"] == "2020-04-01"
    assert first["Status"] == "Active"
    assert first["Last updated"] == TODAY.isoformat()
    second = dict(zip(header, rows[1], strict=True))
    assert second["Start date"] == ""
    assert second["Partner organisations"] == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://example.com","click")', '\'=HYPERLINK("http://example.com","click")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Safe = fine", "Safe = fine"),
        ("2020-04-01", "2020-04-01"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_cells_that_would_run_as_formulas_are_neutralised(client, portal_site):
    public_entry(
        name='=HYPERLINK("http://example.com","click")',
        purpose="+1",
        shared_objective="-2",
        rules_of_engagement="@x",
        partners=[("\tx", Sector.PUBLIC)],
        priorities=["\rx"],
    )
    header, row = csv_rows(client)
    cells = dict(zip(header, row, strict=True))
    assert cells["Name"] == '\'=HYPERLINK("http://example.com","click")'
    assert cells["Purpose and aims"] == "'+1"
    assert cells["Shared objective"] == "'-2"
    assert cells["Council's involvement"] == "'@x"
    assert cells["Partner organisations"] == "'\tx (Public)"
    assert cells["Council priorities supported"] == "'\rx"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_json_describes_the_data_and_its_licence(client, entries):
    response, _ = download(client, JSON_URL)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="partnership-register-{TODAY.isoformat()}.json"'
    document = json_document(client)
    assert document["licence"] == LICENCE == "Open Government Licence v3.0"
    assert document["licence_url"] == LICENCE_URL
    assert document["last_updated"] == TODAY.isoformat()
    assert document["publisher"] == settings.COUNCIL_NAME
    assert document["fields"] == [
        {"name": field.name, "label": field.label, "description": field.description} for field in PUBLIC_FIELDS
    ]


def test_json_lists_each_public_entry_with_the_public_fields(client, entries):
    partnerships = json_document(client)["partnerships"]
    assert [item["name"] for item in partnerships] == ["Community Safety Partnership", "Health and Wellbeing Board"]
    first = partnerships[0]
    assert list(first) == [field.name for field in PUBLIC_FIELDS]
    assert first["partners"] == [
        {"name": "Lancashire Constabulary", "sector": "Public"},
        {"name": "Café Société", "sector": "Voluntary and community"},
    ]
    assert first["council_priorities"] == ["Safer communities", "Thriving economy"]
    assert first["start_date"] == "2020-04-01"
    assert partnerships[1]["start_date"] is None


def test_json_of_an_empty_register_is_valid(client, portal_site):
    document = json_document(client)
    assert document["partnerships"] == []
    assert document["last_updated"] is None


def test_last_updated_is_the_newest_publication(client, portal_site):
    entry = public_entry(name="Alpha")
    entry.last_published_at = datetime.datetime(2024, 5, 31, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 1 June in BST
    entry.save(update_fields=["last_published_at"])
    assert json_document(client)["last_updated"] == "2024-06-01"
    response, _ = download(client, CSV_URL)
    assert 'filename="partnership-register-2024-06-01.csv"' in response["Content-Disposition"]


def test_the_files_are_served_only_at_the_register(client, portal_site):
    assert client.get("/framework/register.csv").status_code == 404
    assert client.get("/partnerships/register.xml").status_code == 404


def test_the_files_read_entries_in_chunks_with_the_same_records_as_the_pages(entries):
    in_pages = [public_record(entry) for entry in public_entries().order_by("reference")]
    assert [public_record(entry) for entry in public_records_in_bulk(chunk_size=1)] == in_pages
    assert [public_record(entry) for entry in public_records_in_bulk()] == in_pages
    first = in_pages[0]
    entry = entries[0]
    for name in ("status", "level", "basis", "membership", "geography", "council_role"):
        assert first[name] == getattr(entry, f"get_{name}_display")()
