"""Open data others can use: downloads of a search or filter, the Atom feed, and the data package."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from frictionless import Package, Resource, Schema
from wagtail.models import Site

from partnerships.models import Geography, Level, Partnership, Sector
from partnerships.public import prebuilt
from partnerships.public.fields import PUBLIC_FIELDS
from tests.partnerships.factories import public_entry

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def content(response):
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_names(client, params):
    text = content(client.get("/partnerships/register.csv", params)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    name = rows[0].index("Name")
    return [row[name] for row in rows[1:]]


def json_names(client, params):
    document = json.loads(content(client.get("/partnerships/register.json", params)))
    return [item["name"] for item in document["partnerships"]]


def page_names(client, params):
    return [row["record"]["name"] for row in client.get("/partnerships/", params).context["rows"]]


@pytest.fixture
def entries(portal_site):
    return [
        public_entry(
            name="Bewdley Flood Forum",
            purpose="Keeping homes in Bewdley safe from the river.",
            level=Level.OPERATIONAL,
            geography=Geography.SUB_DISTRICT,
            partners=[("Environment Agency", Sector.PUBLIC)],
        ),
        public_entry(
            name="County Health Board",
            purpose="Health and wellbeing across the county.",
            level=Level.STRATEGIC,
            geography=Geography.COUNTY,
            start_date=datetime.date(2019, 4, 1),
        ),
        public_entry(
            name="Kidderminster Town Forum",
            purpose="A stronger town centre.",
            level=Level.OPERATIONAL,
            geography=Geography.SUB_DISTRICT,
            start_date=datetime.date(2022, 4, 1),
        ),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"level": "operational"},
        {"q": "forum"},
        {"q": "forum", "sort": "start"},
        {"geography": "county"},
        {"level": "operational", "geography": "county"},
    ],
)
def test_a_filtered_download_holds_exactly_the_filtered_page(client, entries, params):
    listed = page_names(client, params)
    assert csv_names(client, params) == listed
    assert json_names(client, params) == listed


def test_the_download_links_carry_the_page_query(client, entries):
    response = client.get("/partnerships/", {"level": "operational", "sort": "start", "page": "1"})
    text = response.content.decode()
    assert 'href="/partnerships/register.csv?level=operational&amp;sort=start"' in text
    assert 'href="/partnerships/register.json?level=operational&amp;sort=start"' in text
    assert "Download these 2 results as CSV" in text
    plain = client.get("/partnerships/").content.decode()
    assert 'href="/partnerships/register.csv"' in plain


def test_a_filtered_download_is_named_as_a_selection_and_says_how_it_was_chosen(client, entries):
    response = client.get("/partnerships/register.json", {"level": "strategic"})
    assert "partnership-register-selection-" in response["Content-Disposition"]
    document = json.loads(content(response))
    assert document["selection"] == "level=strategic"
    assert [item["name"] for item in document["partnerships"]] == ["County Health Board"]


def test_the_unfiltered_download_still_comes_from_the_prebuilt_copy(client, entries, monkeypatch):
    prebuilt.forget()
    assert len(csv_names(client, {})) == 3
    builds = []
    monkeypatch.setattr("partnerships.public.opendata.csv_rows", lambda *a: builds.append(a) or iter(["x"]))
    assert len(csv_names(client, {})) == 3, "served from the copy, not rebuilt"
    assert builds == []
    content(client.get("/partnerships/register.csv", {"level": "strategic"}))
    assert builds, "a selection is built for its request"


def test_the_feed_lists_entries_newest_first_with_absolute_links(client, entries, settings):
    # Links use the portal's one configured address (the Site's), whatever host the request named.
    settings.ALLOWED_HOSTS = ["register.example.gov.uk"]
    address = Site.objects.get(is_default_site=True).root_url
    entries[0].save_revision().publish()  # changed last
    response = client.get("/partnerships/feed.atom", HTTP_HOST="register.example.gov.uk")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(content(response))
    items = root.findall(f"{ATOM}entry")
    titles = [item.find(f"{ATOM}title").text for item in items]
    assert titles[0] == "Bewdley Flood Forum"
    assert sorted(titles) == ["Bewdley Flood Forum", "County Health Board", "Kidderminster Town Forum"]
    link = items[0].find(f"{ATOM}link").get("href")
    assert link == f"{address}/partnerships/{entries[0].slug}/"
    assert items[0].find(f"{ATOM}updated") is not None
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"][0]
    assert self_link.get("href") == f"{address}/partnerships/feed.atom"
    again = content(client.get("/partnerships/feed.atom", HTTP_HOST="register.example.gov.uk"))
    assert b"register.example.gov.uk" not in again


def test_the_feed_holds_the_last_fifty(client, portal_site):
    for n in range(52):
        public_entry(name=f"Entry {n:02d}")
    root = ET.fromstring(content(client.get("/partnerships/feed.atom")))
    titles = [item.find(f"{ATOM}title").text for item in root.findall(f"{ATOM}entry")]
    assert len(titles) == 50
    assert titles[0] == "Entry 51"
    assert "Entry 00" not in titles and "Entry 01" not in titles


def test_the_register_page_links_to_its_feed(client, entries):
    text = client.get("/partnerships/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/partnerships/feed.atom"' in text


def _write_files(client, folder):
    package = json.loads(content(client.get("/partnerships/datapackage.json")))
    (folder / "datapackage.json").write_text(json.dumps(package))
    (folder / "register.csv").write_bytes(content(client.get("/partnerships/register.csv")))
    (folder / "register.json").write_bytes(content(client.get("/partnerships/register.json")))
    return package


def _json_rows_report(package, folder):
    """The JSON file's entries checked against the schema the package gives them.

    Frictionless reads a JSON file in place only with its optional ``json`` extra; the
    rows the package's dialect points at are handed to it directly instead.
    """
    resource = next(item for item in package["resources"] if item["name"] == "register-json")
    document = json.loads((folder / resource["path"]).read_text())
    rows = document[resource["dialect"]["json"]["property"]]
    return Resource(data=rows, schema=Schema.from_descriptor(resource["schema"])).validate()


def test_the_data_package_validates_with_the_files_beside_it(client, entries, tmp_path):
    package = _write_files(client, tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).get_resource("register-csv").validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    report = _json_rows_report(package, tmp_path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert (report.task.stats["fields"], report.task.stats["rows"]) == (len(PUBLIC_FIELDS), len(entries))


def test_money_and_hours_in_the_json_are_numbers_as_the_package_declares(client, entries, tmp_path):
    Partnership.objects.filter(pk=entries[0].pk).update(
        annual_contribution=Decimal("1234.50"), in_kind_hours=Decimal("12"), in_kind_value=Decimal("0.00")
    )
    package = _write_files(client, tmp_path)
    [record] = [
        item
        for item in json.loads((tmp_path / "register.json").read_text())["partnerships"]
        if item["name"] == "Bewdley Flood Forum"
    ]
    assert (record["annual_contribution"], record["in_kind_hours"], record["in_kind_value"]) == (1234.5, 12, 0)
    types = {field["name"]: field["type"] for field in package["resources"][1]["schema"]["fields"]}
    for name in ("annual_contribution", "in_kind_hours", "in_kind_value"):
        assert types[name] == "number" and isinstance(record[name], float), name
    assert types["partners"] == "array" and types["contact"] == "object" and types["start_date"] == "date"
    assert set(record) == set(types), "the JSON schema describes every key of an entry, and no other"


def test_a_wrong_type_in_the_json_schema_would_fail_validation(client, entries, tmp_path):
    package = _write_files(client, tmp_path)
    schema = package["resources"][1]["schema"]["fields"]
    next(field for field in schema if field["name"] == "partners")["type"] = "string"
    assert not _json_rows_report(package, tmp_path).valid


def test_the_data_package_describes_every_column_licence_publisher_and_date(client, entries, tmp_path, settings):
    package = _write_files(client, tmp_path)
    schema = package["resources"][0]["schema"]
    assert [field["name"] for field in schema["fields"]] == [field.label for field in PUBLIC_FIELDS]
    assert [field["description"] for field in schema["fields"]] == [field.description for field in PUBLIC_FIELDS]
    types = {field["json_name"]: field["type"] for field in schema["fields"]}
    assert types["start_date"] == "date" and types["last_updated"] == "date" and types["name"] == "string"
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert package["contributors"] == [{"title": settings.COUNCIL_NAME, "role": "publisher"}]
    newest = max(entry.last_published_at for entry in entries)
    assert datetime.datetime.fromisoformat(package["last_modified"]) == newest
    assert [resource["path"] for resource in package["resources"]] == ["register.csv", "register.json"]


def test_a_wrong_type_would_fail_validation(client, entries, tmp_path):
    # The validation is not a formality: a column typed as a number it is not is caught.
    package = _write_files(client, tmp_path)
    package["resources"][0]["schema"]["fields"][1]["type"] = "integer"
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


def test_the_open_data_page_documents_every_column_and_the_package(client, entries):
    text = client.get("/partnerships/open-data/").content.decode()
    for field in PUBLIC_FIELDS:
        assert f"<code>{field.name}</code>" in text
        assert field.description.replace("'", "&#x27;") in text
    assert 'href="/partnerships/datapackage.json"' in text
    assert 'href="/partnerships/feed.atom"' in text
