"""The admin import page: register managers upload, check the preview, confirm, and follow the progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.importing import jobs
from partnerships.importing.views import can_import
from partnerships.models import Partnership, RegisterImport
from portal.menu import PermissionMenuItem
from tests.partnerships.factories import csv_bytes, form_action, row, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_import_dir")]

UPLOAD = "partnerships_import:upload"


def upload(client, data, name="register.csv", create_partners=False):
    """Upload as the browser does, and follow to the page the check ends on (it runs in-process here)."""
    form = {"file": SimpleUploadedFile(name, data)}
    if create_partners:
        form["create_partners"] = "on"
    return client.post(reverse(UPLOAD), form, follow=True)


def test_a_register_manager_uploads_checks_and_confirms(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    page = client.get(reverse(UPLOAD))
    assert page.status_code == 200
    assert b"Create partner organisations that don&#x27;t exist yet" in page.content
    assert b"Purpose and aims" in page.content  # the columns table

    preview = upload(client, csv_bytes([row(), row(Name="Second partnership")]))
    assert preview.status_code == 200
    assert b"Check what will be imported" in preview.content
    assert b"Second partnership" in preview.content
    assert Partnership.objects.count() == 0  # nothing until confirmed

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(form_action(preview, "Import 2 entries"))
    assert confirmed.status_code == 302
    assert Partnership.objects.filter(live=False).count() == 2
    assert {entry.latest_revision.user for entry in Partnership.objects.all()} == {manager}

    progress = client.get(confirmed.url)
    assert progress.status_code == 200
    assert b"Imported register.csv" in progress.content
    assert b"2 new draft entries created" in progress.content
    assert b'http-equiv="refresh"' not in progress.content
    assert len(list(jobs.import_dir().iterdir())) == 1  # the upload is kept privately, with the import's history


def test_an_xlsx_upload_with_new_partners_created_on_request(
    client, manager, reference_data, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    preview = upload(client, xlsx_bytes([row(Partners="Acme Ltd")]), "register.xlsx", create_partners=True)
    assert b"Partner organisations to create" in preview.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_action(preview, "Import 1 entry"))
    assert Partnership.objects.get().partners.get().organisation.name == "Acme Ltd"


def test_a_bad_file_shows_every_problem_in_a_table_and_saves_nothing(client, manager, reference_data):
    client.force_login(manager)
    rows = [row(**{"Start date": "31/02/2024"}), row(Partners="Acme Ltd"), row(Level="Cosmic")]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing has been imported" in html
    assert "The file has 3 problems" in html
    assert "<td>Start date</td>" in html and "<code>31/02/2024</code>" in html
    assert "is not a real date (use dd/mm/yyyy)" in html
    assert "These partner organisations are not in the register" in html and "Acme Ltd" in html
    assert "<td>Level</td>" in html and "<code>Cosmic</code>" in html
    assert Partnership.objects.count() == 0
    assert RegisterImport.objects.get().outcome == RegisterImport.Outcome.INVALID


def test_an_empty_file_is_refused_by_the_form(client, manager):
    client.force_login(manager)
    response = upload(client, b"")
    assert response.status_code == 200
    assert b"The submitted file is empty." in response.content


def test_cancelling_a_preview_imports_nothing_and_the_history_says_so(client, manager, reference_data):
    client.force_login(manager)
    preview = upload(client, csv_bytes([row()]))
    response = client.post(form_action(preview, "Cancel"))
    assert response.status_code == 302
    assert Partnership.objects.count() == 0
    assert RegisterImport.objects.get().outcome == RegisterImport.Outcome.CANCELLED


def test_a_lead_officer_gets_403_everywhere(client, officer_user, manager, reference_data):
    client.force_login(manager)
    preview = upload(client, csv_bytes([row()]))
    confirm_url = form_action(preview, "Import 1 entry")
    client.force_login(officer_user)
    assert client.get(reverse(UPLOAD)).status_code == 403
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert client.post(confirm_url).status_code == 403
    for name in ("template_csv", "template_xlsx", "register_csv", "register_xlsx"):
        assert client.get(reverse(f"partnerships_import:{name}")).status_code == 403
    assert Partnership.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_another_managers_upload_cannot_be_confirmed(client, manager, make_user, reference_data):
    client.force_login(manager)
    confirm_url = form_action(upload(client, csv_bytes([row()])), "Import 1 entry")
    colleague = make_user(*[group.name for group in manager.groups.all()])
    client.force_login(colleague)
    assert client.post(confirm_url).status_code == 404
    assert Partnership.objects.count() == 0


def test_the_progress_page_refreshes_while_the_import_runs(client, manager, reference_data):
    client.force_login(manager)
    confirm_url = form_action(upload(client, csv_bytes([row()])), "Import 1 entry")
    token = confirm_url.split("/")[-3].replace("-", "")
    jobs.set_state(token, status=jobs.RUNNING, stage="saving", done=2500, total=10000)
    response = client.get(reverse("partnerships_import:progress", args=[confirm_url.split("/")[-3]]))
    assert b'<meta http-equiv="refresh" content="2">' in response.content
    assert b"Saving: 2,500 of 10,000 rows (25%)" in response.content


def test_downloads_for_register_managers(client, manager):
    client.force_login(manager)
    for name, content_type in [
        ("template_csv", "text/csv"),
        ("template_xlsx", "spreadsheetml"),
        ("columns_csv", "text/csv"),
        ("register_csv", "text/csv"),
        ("register_xlsx", "spreadsheetml"),
    ]:
        response = client.get(reverse(f"partnerships_import:{name}"))
        assert response.status_code == 200, name
        assert content_type in response["Content-Type"]
        assert response["Content-Disposition"].startswith("attachment")


def test_the_menu_item_is_shown_to_register_managers_only(client, rf, manager, officer_user):
    client.force_login(manager)
    assert b"Import spreadsheet" in client.get(reverse("wagtailadmin_home")).content
    client.force_login(officer_user)
    assert b"Import spreadsheet" not in client.get(reverse("wagtailadmin_home")).content
    item = PermissionMenuItem("Import spreadsheet", reverse(UPLOAD), allowed=can_import)
    request = rf.get("/admin/")
    request.user = manager
    assert item.is_shown(request)
    request.user = officer_user
    assert not item.is_shown(request)


def test_a_redelivered_task_does_not_import_twice(client, manager, reference_data, django_capture_on_commit_callbacks):
    client.force_login(manager)
    confirm_url = form_action(upload(client, csv_bytes([row()])), "Import 1 entry")
    token = confirm_url.split("/")[-3].replace("-", "")
    state = jobs.get_state(token)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)
    # A worker lost after commit gets the task again, with the state as it was when queued.
    jobs.set_state(token, **{**state, "status": jobs.QUEUED})
    jobs.run(token)
    assert Partnership.objects.count() == 1
    assert jobs.get_state(token)["status"] == jobs.DONE
