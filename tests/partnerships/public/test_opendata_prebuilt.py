"""The open-data files are built once per change of the register and served from that copy.

A repeat download must not rebuild the file (that starved page requests under load),
and any change a visitor could see in the file must reach the next download.
"""

import csv
import io
import multiprocessing
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import PartnerOrganisation, Partnership, Sector
from partnerships.public import prebuilt
from portal.cache import renew
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


def prebuilt_files():
    return sorted(path.name for path in prebuilt.directory().glob("register-*"))


def test_the_file_on_disk_is_replaced_by_the_next_change(client, register, settings):
    settings.OPEN_DATA_KEEP_SECONDS = 0
    download(client)
    download(client)
    [built] = prebuilt_files()
    assert built.endswith(".csv")
    assert "Health and Wellbeing Board" in (prebuilt.directory() / built).read_text("utf-8-sig")
    entry = Partnership.objects.get(pk=register[1].pk)
    entry.name = "Health and Wellbeing Board (renamed)"
    published(entry)
    assert "Health and Wellbeing Board (renamed)" in names_in_csv(download(client))
    [rebuilt] = prebuilt_files()
    assert rebuilt != built, "the file of the earlier register was left in place"
    assert "Health and Wellbeing Board (renamed)" in (prebuilt.directory() / rebuilt).read_text("utf-8-sig")


@pytest.mark.parametrize(
    ("url", "content_type", "extension"),
    [(CSV_URL, "text/csv; charset=utf-8", "csv"), (JSON_URL, "application/json; charset=utf-8", "json")],
)
def test_a_file_sent_from_disk_is_named_typed_and_answers_conditional_requests(
    client, register, url, content_type, extension
):
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == content_type
    assert response["Content-Length"] == str(len(body))
    day = Partnership.objects.get(pk=register[1].pk).last_published_at.astimezone().date()
    assert response["Content-Disposition"] == f'attachment; filename="partnership-register-{day}.{extension}"'
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    public_entry(name="Youth Justice Board")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Youth Justice Board" in b"".join(changed.streaming_content).decode("utf-8-sig")


STATE = (2, None)  # a fingerprint given by the caller: these tests read no database


def _slow_build(started, release):
    """A build that stops half-way until ``release`` is set."""
    yield b"first half, "
    started.set()
    assert release.wait(30)
    yield b"second half"


def _download_in_another_process(results):
    built = prebuilt.open_prebuilt("csv", lambda: iter([b"this process's own build"]), STATE)
    results.put(built.file.read())


def test_no_process_sends_a_half_written_file_or_builds_its_own_while_one_is_built(settings):
    """A second server process asking during the build waits for it and sends the whole file."""
    started, release = threading.Event(), threading.Event()
    builder = threading.Thread(
        target=lambda: prebuilt.open_prebuilt("csv", lambda: _slow_build(started, release), STATE)
    )
    builder.start()
    try:
        assert started.wait(30)
        folder = prebuilt.directory()
        assert prebuilt_files() == [], "the file is in place before it is complete"
        assert list(folder.glob(".register-*.part")), "the build is not written beside its final place"
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        other = context.Process(target=_download_in_another_process, args=(results,))
        other.start()
        other.join(0.5)
        assert other.is_alive(), "the other process did not wait for the build under way"
    finally:
        release.set()
        builder.join(30)
    assert results.get(timeout=30) == b"first half, second half"
    other.join(30)
    assert other.exitcode == 0
    assert list(prebuilt.directory().glob(".register-*.part")) == []


def test_a_build_that_fails_half_way_leaves_nothing_to_send(settings):
    def failing():
        yield b"first half, "
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        prebuilt.open_prebuilt("csv", failing, STATE)
    assert list(prebuilt.directory().iterdir()) == [prebuilt.directory() / ".register.csv.lock"]
    built = prebuilt.open_prebuilt("csv", lambda: iter([b"whole"]), STATE)
    with built.file:
        assert built.file.read() == b"whole"


def test_a_download_under_way_finishes_from_its_file_when_a_new_generation_replaces_it(settings):
    settings.OPEN_DATA_KEEP_SECONDS = 0
    old = prebuilt.open_prebuilt("csv", lambda: iter([b"old register, ", b"every row of it"]), STATE)
    assert old.file.read(5) == b"old r"
    renew([prebuilt.GENERATION_KEY])  # what a committed change does
    new = prebuilt.open_prebuilt("csv", lambda: iter([b"new register"]), STATE)
    with new.file, old.file:
        assert len(prebuilt_files()) == 1, "the earlier generation's file was not removed"
        assert new.file.read() == b"new register"
        assert old.file.read() == b"egister, every row of it"
    assert new.tag != old.tag and new.modified > old.modified
