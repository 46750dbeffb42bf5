"""Bringing the existing register in: a register manager records that an entry was approved before the portal.

Through the admin's URLs: one entry at a time, a bulk action over imported drafts,
and the import itself; each record lands in the decision log, the entry's history
and the "How entries reached the register" report. Nobody else may record one.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import ApprovalRecord, Partnership, Status
from portal import roles
from tests.partnerships.factories import PartnershipFactory, csv_bytes, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir")]

LIST = "wagtailsnippets_partnerships_partnership:list"
HISTORY = "wagtailsnippets_partnerships_partnership:history"
REPORT = "partnerships_reports:approval_routes"
BULK = "wagtail_bulk_action"


def backfill_url(entry):
    return reverse("partnerships_backfill:record", args=(entry.pk,))


def bulk_url(*entries):
    ids = "&".join(f"id={entry.pk}" for entry in entries)
    return reverse(BULK, args=("partnerships", "partnership", "backfill")) + "?" + ids


def imported_draft(**fields):
    """An entry as the import leaves it: a draft, with its status from the spreadsheet, and a revision."""
    fields = {"status": Status.ACTIVE, **fields}
    entry = PartnershipFactory(live=False, **fields)
    entry.save_revision()
    return Partnership.objects.get(pk=entry.pk)


GOOD = {"approved_on": "2019-03-12", "approved_by": "Cabinet", "minute_reference": "45"}


def field_errors(response):
    return re.findall(r'<li><a href="#id_([a-z_]+)">([^<]+)</a></li>', response.content.decode())


# --- One entry ---


def test_a_register_manager_records_an_entry_approved_before_the_portal(client, register_manager):
    entry = imported_draft(name="Anytown Community Safety Partnership")
    assert not Partnership.objects.public().exists()
    client.force_login(register_manager)

    page = client.get(backfill_url(entry))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Date it was approved", "Who approved it", "Minute reference (optional)"):
        assert label in html
    assert "Record approval and publish" in html

    response = client.post(backfill_url(entry), GOOD)
    assert response.status_code == 302

    entry.refresh_from_db()
    assert entry.live
    assert list(Partnership.objects.public()) == [entry]
    assert client.get(f"/partnerships/{entry.slug}/").status_code == 200
    record = entry.approval_record
    assert (record.route, record.approved_on, record.approved_by, record.minute_reference, record.recorded_by) == (
        ApprovalRecord.Route.BACKFILL,
        datetime.date(2019, 3, 12),
        "Cabinet",
        "45",
        register_manager,
    )
    assert entry.approval_date == datetime.date(2019, 3, 12)  # filled in where the import left it empty

    history = client.get(reverse(HISTORY, args=(entry.pk,))).content.decode()
    assert "Recorded as approved before the portal: Cabinet, 12 March 2019, minute 45" in history

    log = client.get(reverse("workflows:decision_log")).content.decode()
    row_html = next(r for r in log.split("<tr>") if entry.reference in r)
    assert "Back-fill: approved before the portal" in row_html
    assert register_manager.get_full_name() in row_html
    assert "Approved by Cabinet on 12 March 2019" in row_html
    csv_log = b"".join(client.get(reverse("workflows:decision_log") + "?format=csv").streaming_content).decode()
    assert f"{entry.reference},Anytown Community Safety Partnership,Back-fill: approved before the portal" in csv_log


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {},
            {
                ("approved_on", "Enter the date it was approved"),
                ("approved_by", "Enter who approved it, for example Cabinet"),
            },
        ),
        (
            {**GOOD, "approved_on": "2999-01-01"},
            {("approved_on", "The date it was approved must be today or in the past")},
        ),
        ({**GOOD, "approved_on": "31/02/2019"}, {("approved_on", "Enter the date it was approved as a real date")}),
        ({**GOOD, "approved_by": "   "}, {("approved_by", "Enter who approved it, for example Cabinet")}),
    ],
)
def test_the_form_names_each_field_that_needs_fixing(client, register_manager, data, expected):
    entry = imported_draft()
    client.force_login(register_manager)
    response = client.post(backfill_url(entry), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert set(field_errors(response)) == expected
    entry.refresh_from_db()
    assert not entry.live
    assert not ApprovalRecord.objects.exists()


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda: imported_draft(status=Status.PROPOSED), "a proposal goes to Management Board"),
        (lambda: imported_draft(status=Status.REJECTED), "only a partnership the council is or was already in"),
        (lambda: PartnershipFactory(), "is already approved onto the register"),
    ],
)
def test_what_cannot_be_back_filled_is_refused_with_the_reason(client, register_manager, setup, reason):
    entry = setup()
    records = ApprovalRecord.objects.count()
    client.force_login(register_manager)
    page = client.get(backfill_url(entry)).content.decode()
    assert reason in page
    assert "Record approval and publish" not in page
    client.post(backfill_url(entry), GOOD)
    assert ApprovalRecord.objects.count() == records
    assert Partnership.objects.get(pk=entry.pk).live == entry.live


def test_an_entry_put_to_the_workflow_is_the_boards_to_decide(client, register_manager, lead_officer):
    entry = imported_draft(status=Status.PROPOSED, lead_officer=lead_officer)
    entry.get_workflow().start(entry, lead_officer)
    Partnership.objects.filter(pk=entry.pk).update(status=Status.ACTIVE)  # then someone changes its status
    client.force_login(register_manager)
    client.post(backfill_url(entry), GOOD)
    assert not ApprovalRecord.objects.exists()
    assert not Partnership.objects.get(pk=entry.pk).live


@pytest.mark.parametrize(
    "role", [roles.LEAD_OFFICERS, roles.HEADS_OF_SERVICE, roles.MANAGEMENT_BOARD, roles.EDITORS, None]
)
def test_only_register_managers_may_back_fill(client, role_user, role):
    entry = imported_draft()
    user = role_user(role) if role else role_user()
    assert not user.has_perm("partnerships.record_backfill")
    client.force_login(user)
    # Staff without the admin are sent to its sign-in, as by every admin page; the admin's other roles get a 403.
    refused = 403 if role else 302
    assert client.get(backfill_url(entry)).status_code == refused
    assert client.post(backfill_url(entry), GOOD).status_code == refused
    assert client.get(bulk_url(entry)).status_code == refused
    assert client.post(bulk_url(entry), GOOD).status_code == refused
    assert not ApprovalRecord.objects.exists()
    assert not Partnership.objects.get(pk=entry.pk).live


def test_the_permission_not_the_group_name_decides(client, role_user):
    from django.contrib.auth.models import Permission

    entry = imported_draft()
    # A Board member given the permission explicitly may; a register manager without it may not.
    board = role_user(roles.MANAGEMENT_BOARD)
    board.user_permissions.add(Permission.objects.get(codename="record_backfill"))
    manager = role_user(roles.REGISTER_MANAGERS)
    manager.groups.get(name=roles.REGISTER_MANAGERS).permissions.remove(
        Permission.objects.get(codename="record_backfill")
    )
    client.force_login(manager)
    assert client.get(backfill_url(entry)).status_code == 403
    client.force_login(board)
    assert client.get(backfill_url(entry)).status_code == 200


def test_the_register_listing_offers_the_back_fill_only_to_register_managers(client, register_manager, role_user):
    entry = imported_draft()
    client.force_login(register_manager)
    listing = client.get(reverse(LIST)).content.decode()
    assert backfill_url(entry) in listing
    assert "Record approval before the portal" in listing  # the bulk action's button
    client.force_login(role_user(roles.MANAGEMENT_BOARD))
    assert backfill_url(entry) not in client.get(reverse(LIST)).content.decode()


# --- In bulk ---


def test_a_bulk_action_back_fills_the_selected_imported_drafts(client, register_manager):
    first, second = imported_draft(name="First"), imported_draft(name="Second")
    proposal = imported_draft(name="A proposal", status=Status.PROPOSED)
    client.force_login(register_manager)

    page = client.get(bulk_url(first, second, proposal))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Not included" in html
    assert "A proposal" in html.split("Not included")[1]
    assert "Date it was approved" in html

    invalid = client.post(bulk_url(first, second, proposal), {"approved_by": "Cabinet"})
    assert invalid.status_code == 200
    assert ("approved_on", "Enter the date it was approved") in field_errors(invalid)
    assert not ApprovalRecord.objects.exists()

    response = client.post(bulk_url(first, second, proposal), {**GOOD, "next": reverse(LIST)})
    assert response.status_code == 302
    assert set(Partnership.objects.filter(live=True).values_list("name", flat=True)) == {"First", "Second"}
    assert set(ApprovalRecord.objects.values_list("partnership__name", "recorded_by", "approved_by")) == {
        ("First", register_manager.pk, "Cabinet"),
        ("Second", register_manager.pk, "Cabinet"),
    }
    log = client.get(reverse("workflows:decision_log")).content.decode()
    assert log.count("Back-fill: approved before the portal") == 2


# --- From the import ---


def test_the_import_records_the_back_fill_for_rows_already_active(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    manager.groups.get(name=roles.REGISTER_MANAGERS)  # the import's manager is a register manager
    client.force_login(manager)
    data = csv_bytes(
        [
            row(Name="Already active", Status="Active"),
            row(Name="Closed in 2015", Status="Closed"),
            row(Name="Still a proposal", Status="Proposed"),
        ]
    )
    upload = reverse("partnerships_import:upload")
    assert "These partnerships were approved before the portal" in client.get(upload).content.decode()

    missing = client.post(upload, {"file": SimpleUploadedFile("r.csv", data), "backfill": "on"})
    assert missing.status_code == 200
    html = missing.content.decode()
    assert "Enter the date they were approved" in html
    assert "Enter who approved them, for example Cabinet" in html

    preview = client.post(
        upload,
        {
            "file": SimpleUploadedFile("r.csv", data),
            "backfill": "on",
            "approved_on": "2014-06-30",
            "approved_by": "Cabinet",
            "minute_reference": "2014/77",
        },
        follow=True,  # the file is checked by a task, then previewed on the progress page
    )
    assert "recorded as approved by Cabinet on 30 June 2014" in preview.content.decode()
    confirm = re.search(r'<form action="([^"]+/confirm/)"', preview.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        progress = client.post(confirm)
    result = client.get(progress.url).content.decode()
    assert "Recorded as approved before the portal, and published" in result

    live = Partnership.objects.filter(live=True)
    assert set(live.values_list("name", flat=True)) == {"Already active", "Closed in 2015"}
    assert set(Partnership.objects.public().values_list("name", flat=True)) == {"Already active"}
    assert not Partnership.objects.get(name="Still a proposal").live
    records = ApprovalRecord.objects.all()
    assert {(r.approved_by, r.approved_on, r.minute_reference, r.recorded_by_id) for r in records} == {
        ("Cabinet", datetime.date(2014, 6, 30), "2014/77", manager.pk)
    }
    assert records.count() == 2


def test_people_who_may_not_back_fill_are_not_offered_it_on_the_import(client, manager, reference_data):
    from django.contrib.auth.models import Permission

    manager.groups.get(name=roles.REGISTER_MANAGERS).permissions.remove(
        Permission.objects.get(codename="record_backfill")
    )
    client.force_login(manager)
    upload = reverse("partnerships_import:upload")
    assert "approved before the portal" not in client.get(upload).content.decode()
    data = csv_bytes([row(Status="Active")])
    client.post(
        upload,
        {"file": SimpleUploadedFile("r.csv", data), "backfill": "on", "approved_on": "2014-06-30", "approved_by": "X"},
    )
    assert not ApprovalRecord.objects.exists()


def test_the_import_command_records_the_back_fill_when_asked(tmp_path, manager, reference_data):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes([row(Name="Active one", Status="Active"), row(Name="Proposed one")]))
    call_command("import_register", str(path), user=manager.username, stdout=io.StringIO())
    assert not Partnership.objects.filter(live=True).exists()

    path.write_bytes(csv_bytes([row(Name="Active two", Status="Active")]))
    out = io.StringIO()
    call_command(
        "import_register",
        str(path),
        user=manager.username,
        approved_before_portal="2012-01-10",
        approved_by="Executive Committee",
        stdout=out,
    )
    assert "published: 1" in out.getvalue()
    assert list(Partnership.objects.filter(live=True).values_list("name", flat=True)) == ["Active two"]
    assert Partnership.objects.get(name="Active two").approval_record.approved_by == "Executive Committee"


# --- The report ---


def test_the_report_lists_every_live_entry_and_how_it_got_there(client, register_manager, role_user):
    backfilled = imported_draft(name="Back-filled one")
    client.force_login(register_manager)
    client.post(backfill_url(backfilled), GOOD)
    board = PartnershipFactory(name="Board approved one")
    record = board.approval_record
    record.route, record.approved_by, record.minute_reference = ApprovalRecord.Route.BOARD, "Management Board", "MB/7"
    record.save()
    imported_draft(name="A draft, not on the register")

    page = client.get(reverse(REPORT))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Back-filled one" in html and "Board approved one" in html
    assert "A draft, not on the register" not in html
    assert "Approved before the portal (back-fill)" in html and "Management Board decision" in html

    csv_text = b"".join(client.get(reverse(REPORT) + "?export=csv").streaming_content).decode()
    lines = {line.split(",")[1]: line for line in csv_text.splitlines()[1:]}
    assert "Approved before the portal (back-fill),2019-03-12,Cabinet,45," in lines["Back-filled one"]
    assert register_manager.get_full_name() in lines["Back-filled one"]
    assert "Management Board decision" in lines["Board approved one"] and "MB/7" in lines["Board approved one"]

    xlsx = client.get(reverse(REPORT) + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][5] == "How it was approved"
    assert {r[1]: r[5] for r in rows[1:]} == {
        "Back-filled one": "Approved before the portal (back-fill)",
        "Board approved one": "Management Board decision",
    }

    client.force_login(role_user(roles.LEAD_OFFICERS))
    assert client.get(reverse(REPORT)).status_code == 403
    assert client.get(reverse(REPORT) + "?export=csv").status_code == 403
