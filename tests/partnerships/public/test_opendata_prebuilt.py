"""The open-data files are built once per change of the register and served from that copy.

A repeat download must not rebuild the file (that starved page requests under load),
and any change a visitor could see in the file must reach the next download.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import PartnerOrganisation, Partnership, Sector
from partnerships.public import prebuilt
from tests.partnerships.factories import public_entry, published

pytestmark = pytest.mark.django_db

CSV_URL = "/partnerships/register.csv"
JSON_URL = "/partnerships/register.json"


def download(client, url=CSV_URL):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def names_in_csv(content):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    column = next(n for n, label in enumerate(rows[0]) if label.lower() == "name")
    return [row[column] for row in rows[1:]]


@pytest.fixture
def register(portal_site):
    return [
        public_entry(name="Community Safety Partnership", partners=[("Lancashire Constabulary", Sector.PUBLIC)]),
        public_entry(name="Health and Wellbeing Board"),
    ]


def test_a_repeat_download_is_the_same_file_without_reading_the_entries_again(client, register):
    first = download(client)
    with CaptureQueriesContext(connection) as repeat:
        second = download(client)
    assert second == first
    entry_reads = [q["sql"] for q in repeat.captured_queries if 'FROM "partnerships_partnershippartner"' in q["sql"]]
    assert entry_reads == [], "the partners were read again: the file was rebuilt"
    with CaptureQueriesContext(connection) as rebuilt:
        prebuilt.forget()
        assert download(client) == first
    assert len(rebuilt.captured_queries) > len(repeat.captured_queries)


def test_publishing_an_entry_changes_the_next_download(client, register):
    before = names_in_csv(download(client))
    public_entry(name="Youth Justice Board")
    after = names_in_csv(download(client))
    assert "Youth Justice Board" not in before
    assert "Youth Justice Board" in after


def test_publishing_an_edit_changes_the_next_download(client, register):
    download(client)
    entry = Partnership.objects.get(pk=register[1].pk)
    entry.name = "Health and Wellbeing Board (renamed)"
    published(entry)
    names = names_in_csv(download(client))
    assert "Health and Wellbeing Board (renamed)" in names
    assert "Health and Wellbeing Board" not in names


def test_unpublishing_an_entry_takes_it_out_of_the_next_download(client, register, django_capture_on_commit_callbacks):
    assert "Health and Wellbeing Board" in names_in_csv(download(client))
    with django_capture_on_commit_callbacks(execute=True):
        Partnership.objects.get(pk=register[1].pk).unpublish()
    names = names_in_csv(download(client))
    assert names == ["Community Safety Partnership"]
    assert "Health and Wellbeing Board" not in download(client, JSON_URL).decode()


def test_renaming_a_partner_organisation_changes_the_next_download(
    client, register, django_capture_on_commit_callbacks
):
    """No entry is republished, so only the saved change's signal can tell the copy is stale."""
    assert "Lancashire Constabulary" in download(client).decode("utf-8-sig")
    assert "Lancashire Constabulary" in download(client, JSON_URL).decode()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = PartnerOrganisation.objects.get(name="Lancashire Constabulary")
        organisation.name = "Lancashire Police"
        organisation.save()
    assert "Lancashire Police" in download(client).decode("utf-8-sig")
    assert "Lancashire Police" in download(client, JSON_URL).decode()


def test_without_a_shared_cache_every_download_is_built_afresh(client, register, monkeypatch):
    """A process cannot know of another's changes without the shared generation: it must not reuse a copy."""
    monkeypatch.setattr(prebuilt, "generation", lambda: None)
    first = download(client)
    # A change no signal announces and that leaves the count and newest publication as they were.
    PartnerOrganisation.objects.filter(name="Lancashire Constabulary").update(name="Lancashire Police")
    assert first != download(client)
    assert "Lancashire Police" in download(client).decode("utf-8-sig")
