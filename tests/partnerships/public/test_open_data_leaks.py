"""Nothing unapproved or internal reaches site search, the feed, the data package or a filtered download.

Uses the leak test's register: a published entry with a marker in every internal field,
an entry with an edit awaiting approval, and every kind of entry the public must not see.
"""

import pytest

from tests.partnerships.public import test_leaks
from tests.partnerships.public.test_leaks import SECRET_NEW_NAME, body, hidden_strings

# The leak test's fixtures, used here as they are there.
board_workflow = test_leaks.board_workflow
register = test_leaks.register

pytestmark = pytest.mark.django_db

FILTERS = {
    "level": ["strategic", "operational"],
    "basis": ["statutory", "voluntary"],
    "geography": ["district", "county", "sub_district"],
    "sector": ["public", "voluntary"],
}


def open_data_bodies(client, register):
    bodies = {}

    def read(url, params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200, url
        bodies[f"{url} {params or ''}"] = body(response)

    read("/partnerships/feed.atom")
    read("/partnerships/datapackage.json")
    read("/partnerships/open-data/")
    for params in (FILTERS, {"q": "partnership"}, {"q": "hidden"}, {"q": "secret"}, {"sort": "start"}):
        read("/partnerships/register.csv", params)
        read("/partnerships/register.json", params)
    for words in ("hidden", "secret", "partnership", "visible", "foxtrot", "visible partner body", "published"):
        read("/search/", {"q": words})
    return bodies


def test_the_published_entries_reach_the_feed_search_and_selections(client, register):
    bodies = open_data_bodies(client, register)
    assert "Visible Partnership" in bodies["/partnerships/feed.atom "]
    assert "Foxtrot Published Name" in bodies["/partnerships/feed.atom "]
    assert "Visible Partnership" in bodies["/search/ {'q': 'visible partner body'}"]
    assert "Foxtrot Published Name" in bodies["/search/ {'q': 'foxtrot'}"]
    assert "Visible Partnership" in bodies["/partnerships/register.csv {'sort': 'start'}"]


def test_hidden_entries_and_unapproved_edits_appear_nowhere(client, register):
    for where, text in open_data_bodies(client, register).items():
        leaked = [value for value in hidden_strings(register) if value in text]
        assert not leaked, f"{where} shows {leaked}"
    assert SECRET_NEW_NAME not in body(client.get("/partnerships/feed.atom"))


def test_internal_fields_appear_nowhere(client, register):
    for where, text in open_data_bodies(client, register).items():
        leaked = [value for value in register["internal"] if value in text]
        assert not leaked, f"{where} shows {leaked}"


def test_internal_fields_stay_out_of_staff_search_results_too(client, register, register_manager):
    # Staff get a link to the internal record, not its contents, in the results.
    client.force_login(register_manager)
    text = body(client.get("/search/", {"q": "visible"}))
    assert "Visible Partnership" in text
    leaked = [value for value in register["internal"] if value in text]
    assert not leaked
