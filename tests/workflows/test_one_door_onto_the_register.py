"""No way onto the register but Management Board's decision or a recorded back-fill.

Walks every way an entry could be made live: the admin's create, edit and publish
(and submit) as a register manager, Wagtail's bulk actions, the import (admin and
command), the public API, the project's management commands, Wagtail's scheduled
publishing and plain model code; after each, no live entry lacks an approval record.
The Board's own route is walked last, and it does record one.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ApprovalRecord, NotApprovedError, Partnership, Status
from tests.partnerships.conftest import reference_data_fixture  # noqa: F401 - fixtures
from tests.partnerships.factories import PartnershipFactory, csv_bytes, row
from tests.workflows.factories import act, complete_proposal, edit, form_data, login, propose, url

pytestmark = pytest.mark.django_db


def assert_one_door():
    unapproved = Partnership.objects.filter(live=True, approval_record__isnull=True)
    assert not unapproved.exists(), list(unapproved.values_list("name", flat=True))


def fresh(entry):
    return Partnership.objects.get(pk=entry.pk)


@pytest.fixture
def manager_client(client, people):
    return login(client, people.manager)


def test_a_register_manager_cannot_create_and_publish_an_active_entry(manager_client, people, service_area):
    data = form_data(manager_client.get(url("add")))
    data.update(
        complete_proposal(
            service_area,
            name="Typed in as active",
            status="active",
            lead_officer=str(people.lead.pk),
            **{"action-publish": "action-publish"},
        )
    )
    response = manager_client.post(url("add"), data)
    assert response.status_code == 302
    entry = Partnership.objects.get(name="Typed in as active")
    assert not entry.live
    page = manager_client.get(response.url, follow=True).content.decode()
    assert "it has never been approved onto the register" in page
    assert Client().get(f"/partnerships/{entry.slug}/").status_code == 404
    assert_one_door()

    # Publish again from the edit form, and submit: still a draft, and no workflow puts it through.
    for action in ("action-publish", "action-submit"):
        response = edit(manager_client, entry, action=action, status="active")
        assert response.status_code == 302
        assert not fresh(entry).live
    assert fresh(entry).current_workflow_state is None
    assert_one_door()


def test_a_proposal_changed_to_active_by_a_register_manager_is_not_published(manager_client, people, service_area):
    login(manager_client, people.lead)
    _, entry = propose(manager_client, service_area, action=None)
    login(manager_client, people.manager)
    for status in ("active", "under_review", "exiting", "closed"):
        edit(manager_client, entry, action="action-publish", status=status)
        assert not fresh(entry).live
    assert_one_door()


def test_plain_publish_of_a_never_approved_revision_is_refused_by_the_model(people):
    entry = PartnershipFactory(live=False, status=Status.ACTIVE, lead_officer=people.lead)
    revision = entry.save_revision(user=people.manager)
    with pytest.raises(NotApprovedError):
        revision.publish(user=people.manager, skip_permission_checks=True)
    assert not fresh(entry).live

    with pytest.raises(NotApprovedError):
        PartnershipFactory._meta.model.objects.create(
            name="Created live", purpose="x", level="operational", basis="voluntary", membership="multi",
            geography="district", council_role="active_member", live=True,
        )  # fmt: skip
    with pytest.raises(NotApprovedError):
        Partnership.objects.filter(pk=entry.pk).update(live=True)
    entry.live = True
    with pytest.raises(NotApprovedError):
        Partnership.objects.bulk_update([entry], ["live"])
    with pytest.raises(NotApprovedError):
        entry.save(update_fields=["live"])
    assert_one_door()


def test_scheduled_publishing_cannot_put_a_never_approved_entry_live(people):
    entry = PartnershipFactory(live=False, status=Status.ACTIVE)
    revision = entry.save_revision(user=people.manager)
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    with pytest.raises(NotApprovedError):
        call_command("publish_scheduled", stdout=io.StringIO())
    assert not fresh(entry).live
    assert_one_door()


def test_wagtails_bulk_actions_publish_nothing(manager_client, people):
    entry = PartnershipFactory(live=False, status=Status.ACTIVE)
    base = reverse("wagtail_bulk_action", args=("partnerships", "partnership", "publish"))
    assert manager_client.get(f"{base}?id={entry.pk}").status_code == 404  # no such action for snippets
    delete = reverse("wagtail_bulk_action", args=("partnerships", "partnership", "delete"))
    manager_client.post(f"{delete}?id={entry.pk}")
    assert not Partnership.objects.filter(live=True).exists()
    assert_one_door()


def test_the_import_without_a_back_fill_leaves_active_rows_as_drafts(
    manager_client, people, reference_data, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PARTNERSHIP_IMPORT_DIR = str(tmp_path)
    data = csv_bytes(
        [row(Name="Imported active", Status="Active"), row(Name="Imported under review", Status="Under review")]
    )
    preview = manager_client.post(
        reverse("partnerships_import:upload"), {"file": SimpleUploadedFile("r.csv", data)}, follow=True
    )
    confirm = re.search(r'<form action="([^"]+/confirm/)"', preview.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(confirm)
    assert Partnership.objects.filter(name="Imported active").exists()

    path = tmp_path / "again.csv"
    path.write_bytes(csv_bytes([row(Name="By command", Status="Active")]))
    call_command("import_register", str(path), user=people.manager.username, stdout=io.StringIO())
    assert Partnership.objects.filter(name="By command").exists()
    assert not Partnership.objects.filter(live=True).exists()
    assert_one_door()


def test_the_api_offers_no_way_to_write_or_read_the_register(client, people):
    entry = PartnershipFactory(live=False, status=Status.ACTIVE)
    login(client, people.manager)
    assert client.get("/api/v2/partnerships/").status_code == 404
    for method in (client.post, client.put, client.patch):
        response = method("/api/v2/pages/", {"live": True, "id": entry.pk}, content_type="application/json")
        assert response.status_code in (404, 405)
    assert not fresh(entry).live
    assert_one_door()


def test_management_commands_put_nothing_live_without_a_record(people, tmp_path):
    call_command("seed_demo", partnerships=12, seed=3, stdout=io.StringIO())
    live = Partnership.objects.filter(live=True)
    assert live.exists()
    # The demonstration register comes in by the same recorded back-fill a register manager uses.
    assert set(live.values_list("approval_record__route", flat=True)) == {ApprovalRecord.Route.BACKFILL}
    call_command("setup_portal", stdout=io.StringIO())
    call_command("send_review_reminders", stdout=io.StringIO())
    call_command("export_register", str(tmp_path / "register.csv"), stdout=io.StringIO())
    assert_one_door()


def test_the_boards_decision_is_the_record(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    act(client, entry, "approve", comment="Endorsed.")
    assert not fresh(entry).live
    assert not ApprovalRecord.objects.filter(partnership=entry).exists()
    login(client, people.board)
    act(client, entry, "approve", minute_reference="MB/2026/14", comment="Agreed.")
    entry = fresh(entry)
    assert entry.live
    record = entry.approval_record
    assert (record.route, record.minute_reference, record.recorded_by, record.approved_on) == (
        ApprovalRecord.Route.BOARD,
        "MB/2026/14",
        people.board,
        timezone.localdate(),
    )
    assert record.task_state.status == "approved"
    assert_one_door()

    # The register manager can still publish edits to an approved entry, which has its record.
    login(client, people.manager)
    edit(client, entry, action="action-publish", name="Anytown Youth Partnership (renamed)")
    assert fresh(entry).name == "Anytown Youth Partnership (renamed)"
    assert_one_door()
