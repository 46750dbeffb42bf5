"""The public register runs a fixed number of SQL queries, however many entries it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership, ServiceArea
from tests.partnerships.factories import many_public_entries

pytestmark = pytest.mark.django_db

# Wagtail's own work for any page: the site, the route through the tree (root,
# home, register) and the page-privacy check (one query: ViewRestrictionsInOneQueryMixin).
WAGTAIL_QUERIES = 5
# The register's own share of a request.
REGISTER_QUERIES = {
    # Filter options with the summary of the results (one UNION), the page of entries with the
    # count and last update, and their partners and areas covered (one UNION).
    "index": 3,
    # The entry with its approval and contact, its partners, priorities and areas (one UNION),
    # its summaries and its public notes.
    "entry": 4,
}


def requests_to_measure():
    slug = Partnership.objects.order_by("pk").values_list("slug", flat=True)[0]
    area = ServiceArea.objects.order_by("pk").values_list("pk", flat=True)[0]
    return {
        "index": ("/partnerships/", {}),
        "index, filtered": (
            "/partnerships/",
            {"level": "strategic", "geography": ["district", "county"], "sector": "public", "service_area": area},
        ),
        "index, searched": ("/partnerships/", {"q": "entry partner"}),
        "index, searched, filtered and sorted": (
            "/partnerships/",
            {"q": "entry", "level": "strategic", "sort": "start"},
        ),
        "index, page 2": ("/partnerships/", {"page": "2"}),
        "entry": (f"/partnerships/{slug}/", {}),
        "open data": ("/partnerships/open-data/", {}),
        "csv": ("/partnerships/register.csv", {}),
        "json": ("/partnerships/register.json", {}),
        "sitemap": ("/sitemap.xml", {}),
    }


def measure(client):
    # Once first, so Wagtail's cached site root paths are in place as they are in production.
    client.get("/partnerships/")
    counts, register_counts = {}, {}
    for name, (url, params) in requests_to_measure().items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
        counts[name] = len(queries)
        register_counts[name] = sum("wagtailcore_" not in query["sql"] for query in queries.captured_queries)
    return counts, register_counts


def test_query_counts_do_not_grow_with_the_register(client, portal_site):
    many_public_entries(5, prefix="Entry A")
    small, small_register = measure(client)
    many_public_entries(45, prefix="Entry B")
    assert Partnership.objects.public().count() == 50
    large, large_register = measure(client)
    # With 5 entries there is no page 2: that request shows the last page instead (see below).
    for counts in (small, small_register):
        del counts["index, page 2"]
    assert small == {name: count for name, count in large.items() if name in small}
    assert small_register == {name: count for name, count in large_register.items() if name in small}
    # The index shows the first 25 of 50 on page 1 and the next 25 on page 2 in the same number of queries.
    assert large["index, page 2"] == large["index"]


def test_the_register_adds_few_queries_to_wagtails(client, portal_site):
    many_public_entries(30)
    counts, register_counts = measure(client)
    for name in ("index", "index, filtered", "index, searched", "index, searched, filtered and sorted"):
        assert register_counts[name] == REGISTER_QUERIES["index"], name
        assert counts[name] == WAGTAIL_QUERIES + REGISTER_QUERIES["index"], name
    assert register_counts["entry"] == REGISTER_QUERIES["entry"]
    assert counts["entry"] == WAGTAIL_QUERIES + REGISTER_QUERIES["entry"]


def test_a_page_past_the_end_shows_the_last_page_in_one_more_query(client, portal_site):
    many_public_entries(30)
    client.get("/partnerships/")
    with CaptureQueriesContext(connection) as on_page_two:
        last = client.get("/partnerships/", {"page": "2"})
    with CaptureQueriesContext(connection) as past_the_end:
        response = client.get("/partnerships/", {"page": "7"})
    assert response.status_code == 200
    assert response.context["results"].number == 2
    assert response.context["count"] == 30
    assert [row["record"]["reference"] for row in response.context["rows"]] == [
        row["record"]["reference"] for row in last.context["rows"]
    ]
    assert len(response.context["rows"]) == 5
    # The empty page, then the last page (the count is the summary's, the date rides on the rows).
    assert len(past_the_end) == len(on_page_two) + 1


def test_any_page_number_shows_a_page(client, portal_site):
    many_public_entries(30)
    for number, expected in (("99999999999999999999999999", 2), ("-3", 1), ("two", 1), ("", 1)):
        response = client.get("/partnerships/", {"page": number})
        assert response.status_code == 200, number
        assert response.context["results"].number == expected, number
