"""A council's own register through the admin import: its headings mapped and remembered, its statuses
honoured only through the recorded back-fill, duplicates refused row by row, and the import history."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.importing import jobs
from partnerships.models import ApprovalRecord, ImportColumnMapping, Partnership, RegisterImport
from portal import roles
from tests.partnerships.factories import GOOD_ROW, csv_bytes, form_action, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir")]

UPLOAD = "partnerships_import:upload"
HISTORY = "partnerships_import:history"
BACKFILL = {"backfill": "on", "approved_on": "2019-03-12", "approved_by": "Cabinet", "minute_reference": "45"}


@pytest.fixture(name="importer")
def importer_fixture(manager, make_user):
    """May import, like a register manager, but may not record approvals made before the portal."""
    user = make_user(username="importer")
    permissions = [p for group in manager.groups.all() for p in group.permissions.exclude(codename="record_backfill")]
    user.user_permissions.set(permissions)
    assert not user.has_perm("partnerships.record_backfill")
    return user


def council_file(**changes):
    """A council's own spreadsheet: "Partnership Name" for Name, and a Notes column of its own."""
    data = {("Partnership Name" if key == "Name" else key): value for key, value in {**GOOD_ROW, **changes}.items()}
    data["Notes"] = "Kept by the policy team"
    return csv_bytes([data])


def upload(client, data, name="council-register.csv", **fields):
    form = {"file": SimpleUploadedFile(name, data), **fields}
    return client.post(reverse(UPLOAD), form, follow=True)


def confirm(client, preview, captured, label="Import", **data):
    with captured(execute=True):
        done = client.post(form_action(preview, label), data)
    return client.get(done.url)


def test_unknown_headings_get_suggestions_and_the_choices_are_remembered(client, manager, reference_data):
    client.force_login(manager)
    page = upload(client, council_file())
    html = page.content.decode()
    assert "Match the columns of council-register.csv" in html
    assert "Column A: &quot;Partnership Name&quot;" in html
    assert "Suggested: Name" in html
    assert re.search(r'<option value="name" selected>Name</option>', html)
    assert "No register column looks like this one." in html  # Notes

    names = re.findall(r'<select name="(column_\d+)"', html)
    preview = client.post(page.request["PATH_INFO"], {names[0]: "name", names[1]: ""}, follow=True)
    assert b"Check what will be imported" in preview.content
    assert dict(ImportColumnMapping.objects.values_list("heading", "field")) == {
        "Partnership Name": "name",
        "Notes": "",
    }

    again = upload(client, council_file(**{"Name": "Another partnership"}))
    assert b"Check what will be imported" in again.content  # no mapping step the second time
    assert b"Another partnership" in again.content


def test_every_required_column_left_unmatched_is_named(client, manager, reference_data):
    client.force_login(manager)
    data = {key: value for key, value in GOOD_ROW.items() if key not in ("Name", "Purpose and aims")}
    data["Title of partnership"] = "Community Safety Partnership"
    page = upload(client, csv_bytes([data]))
    names = re.findall(r'<select name="(column_\d+)"', page.content.decode())
    refused = client.post(page.request["PATH_INFO"], {names[0]: ""})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "<title>Error: Match the file" in html
    assert "No column holds: Name, Purpose and aims." in html
    assert not ImportColumnMapping.objects.exists()
    assert Partnership.objects.count() == 0


def test_two_headings_cannot_hold_one_column(client, manager, reference_data):
    client.force_login(manager)
    page = upload(client, council_file())
    names = re.findall(r'<select name="(column_\d+)"', page.content.decode())
    refused = client.post(page.request["PATH_INFO"], {names[0]: "name", names[1]: "name"})
    assert "already holds Name" in refused.content.decode()


def test_an_active_row_goes_on_the_register_only_through_the_declared_backfill(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    preview = upload(client, csv_bytes([row(Status="Approved"), row(Name="New idea")]), **BACKFILL)
    assert "then record as approved before the portal and publish" in preview.content.decode()
    done = confirm(client, preview, django_capture_on_commit_callbacks)
    assert b"Recorded as approved before the portal, and published" in done.content
    active = Partnership.objects.get(name="Community Safety Partnership")
    assert active.live and active.status == "active"
    record = ApprovalRecord.objects.get()
    assert (record.partnership, record.route, record.approved_by, record.recorded_by) == (
        active,
        ApprovalRecord.Route.BACKFILL,
        "Cabinet",
        manager,
    )
    assert not Partnership.objects.get(name="New idea").live  # a proposal goes to the Board


def test_without_the_backfill_permission_an_active_row_stays_a_draft_and_the_summary_says_so(
    client, importer, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(importer)
    assert b"These partnerships were approved before the portal" not in client.get(reverse(UPLOAD)).content
    preview = upload(client, csv_bytes([row(Status="Active")]), **BACKFILL)  # the declaration is not theirs to make
    html = preview.content.decode()
    assert "Rows whose status says the partnership is already in force" in html
    assert "stays off the register until approved" in html
    done = confirm(client, preview, django_capture_on_commit_callbacks)
    assert b"Imported as drafts, not on the register" in done.content
    entry = Partnership.objects.get()
    assert not entry.live and entry.status == "active"
    assert not ApprovalRecord.objects.exists()


def test_a_manager_who_does_not_declare_the_backfill_gets_drafts(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    done = confirm(client, upload(client, csv_bytes([row(Status="Live")])), django_capture_on_commit_callbacks)
    assert b"Imported as drafts, not on the register" in done.content
    assert not Partnership.objects.get().live
    assert not ApprovalRecord.objects.exists()


def test_the_same_file_twice_never_doubles_the_register(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    data = csv_bytes([row(), row(Name="Second partnership")])
    confirm(client, upload(client, data), django_capture_on_commit_callbacks)
    assert Partnership.objects.count() == 2

    again = upload(client, csv_bytes([row(Name="  community SAFETY partnership "), row(Name="Second partnership")]))
    html = again.content.decode()
    assert "Rows already in the register" in html
    assert "Every new row is already in the register." in html
    first = Partnership.objects.get(name="Community Safety Partnership")
    assert re.search(
        r'<td class="w-tabular-nums">2</td>\s*<td>\s*community SAFETY partnership\s*</td>\s*'
        rf"<td>{first.reference}</td>",
        html,
    )
    done = confirm(client, again, django_capture_on_commit_callbacks, label="Import the ticked rows")
    assert b"Left out: already in the register" in done.content
    assert Partnership.objects.count() == 2
    latest = RegisterImport.objects.first()
    assert (latest.outcome, latest.rows, latest.created, latest.duplicates) == ("imported", 2, 0, 2)


def test_a_duplicate_row_confirmed_is_imported_anyway(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    confirm(client, upload(client, csv_bytes([row()])), django_capture_on_commit_callbacks)
    again = upload(client, csv_bytes([row(), row(Name="Brand new")]))
    confirm(client, again, django_capture_on_commit_callbacks, import_anyway=["2"])
    assert Partnership.objects.filter(name="Community Safety Partnership").count() == 2
    assert Partnership.objects.count() == 3


def test_the_history_lists_each_import_and_only_register_managers_download_its_file(
    client, manager, officer_user, importer, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    data = csv_bytes([row(), row(Level="Cosmic")])
    upload(client, data, name="bad.csv")
    confirm(client, upload(client, csv_bytes([row()]), name="good.csv"), django_capture_on_commit_callbacks)

    page = client.get(reverse(HISTORY))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Import history" in html
    assert html.index("good.csv") < html.index("bad.csv")  # newest first
    assert "Refused: problems in the file" in html and "Imported" in html
    bad = RegisterImport.objects.get(filename="bad.csv")
    assert (bad.user, bad.rows, bad.refused, bad.created, bad.finished_at is not None) == (manager, 2, 1, 0, True)

    file_url = reverse("partnerships_import:history_file", args=[bad.token])
    assert file_url in html
    download = client.get(file_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert 'filename="bad.csv"' in download["Content-Disposition"]

    client.force_login(importer)  # another register manager may download it too
    assert client.get(file_url).status_code == 200
    client.force_login(officer_user)
    assert client.get(file_url).status_code == 403
    assert client.get(reverse(HISTORY)).status_code == 403
    client.logout()
    assert client.get(file_url).status_code == 302


def test_progress_and_outcome_survive_the_cache(client, manager, reference_data, django_capture_on_commit_callbacks):
    client.force_login(manager)
    preview = upload(client, csv_bytes([row()]))
    token = RegisterImport.objects.get().token
    cache.delete(jobs.state_key(token.hex))
    progress_url = reverse("partnerships_import:progress", args=[token])
    assert b"Check what will be imported" in client.get(progress_url).content

    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_action(preview, "Import 1 entry"))
    cache.delete(jobs.state_key(token.hex))
    done = client.get(progress_url)
    assert b"Imported council-register.csv" in done.content
    assert b"1 new draft entry created" in done.content
    assert Partnership.objects.count() == 1


def test_only_register_managers_see_the_mapping_step(client, manager, officer_user, reference_data):
    client.force_login(manager)
    page = upload(client, council_file())
    client.force_login(officer_user)
    assert client.get(page.request["PATH_INFO"]).status_code == 403
    assert roles.REGISTER_MANAGERS in {group.name for group in manager.groups.all()}
