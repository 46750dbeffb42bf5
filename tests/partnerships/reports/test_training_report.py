"""The awareness training report: everyone in a role, councillors included, on screen and as CSV and XLSX."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from portal.models import TrainingCompletion, TrainingPage
from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, MANAGEMENT_BOARD, MEMBERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

URL = "/admin/reports/training/"
TODAY = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def passed(user, page, on, score=100):
    completion = TrainingCompletion.objects.record_pass(user, page, score)
    TrainingCompletion.objects.filter(pk=completion.pk).update(completed_on=on)


@pytest.fixture
def people(portal_site, make_user):
    modules = list(TrainingPage.objects.live().order_by("path"))
    joined = timezone.make_aware(datetime.datetime(2026, 1, 5))
    member = make_user(MEMBERS, first_name="Carys", last_name="Councillor", date_joined=joined)
    lead = make_user(STAFF, LEAD_OFFICERS, first_name="Lee", last_name="Lead", date_joined=joined)
    head = make_user(STAFF, HEADS_OF_SERVICE, first_name="=HYPERLINK()", last_name="Head", date_joined=joined)
    board = make_user(STAFF, MANAGEMENT_BOARD, first_name="Bola", last_name="Board", date_joined=joined)
    for page in modules:
        passed(member, page, datetime.date(2026, 3, 2), score=75)
        passed(lead, page, datetime.date(2025, 10, 1))  # over a year ago: due for refresher
    passed(board, modules[0], datetime.date(2026, 6, 1))
    PartnershipFactory(name="Youth employment", lead_officer=lead)
    manager = make_user(STAFF, REGISTER_MANAGERS, first_name="Rita", last_name="Register")
    return {"member": member, "lead": lead, "head": head, "board": board, "manager": manager, "modules": modules}


def rows_by_name(response):
    return {row.name: row for row in response.context["object_list"]}


@time_machine.travel(TODAY)
def test_every_role_is_in_the_report_councillors_included(client, people):
    client.force_login(people["manager"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = rows_by_name(response)
    assert rows["Carys Councillor"].roles == MEMBERS
    assert (rows["Carys Councillor"].status, rows["Carys Councillor"].completed_text) == ("Completed", "4 of 4")
    assert rows["Carys Councillor"].next_due == datetime.date(2027, 3, 2)
    assert rows["Lee Lead"].status == "Outstanding or due for refresher"
    assert rows["Lee Lead"].completed_text == "0 of 4"
    assert rows["Lee Lead"].partnerships_led == "Youth employment"
    assert rows["Bola Board"].completed_text == "1 of 4"
    assert rows["Bola Board"].next_due == datetime.date(2026, 2, 5)  # joined 5 January, modules not taken
    assert rows["=HYPERLINK() Head"].status == "Not started"

    summary = {item["role"]: item for item in response.context["summary"]}
    assert summary[MEMBERS] == {"role": MEMBERS, "people": 1, "completed": 1, "refresher_due": 0, "not_started": 0}
    assert summary[LEAD_OFFICERS]["refresher_due"] == 1
    assert summary[HEADS_OF_SERVICE]["not_started"] == 1
    html = response.content.decode()
    assert "Carys Councillor" in html and "Training by role" in html


@time_machine.travel(TODAY)
def test_the_report_filters_by_role_and_by_training(client, people):
    client.force_login(people["manager"])
    members = client.get(URL, {"role": people["member"].groups.get().pk})
    assert list(rows_by_name(members)) == ["Carys Councillor"]
    not_started = client.get(URL, {"status": "not_started"})
    assert "=HYPERLINK() Head" in rows_by_name(not_started)
    assert "Carys Councillor" not in rows_by_name(not_started)


@time_machine.travel(TODAY)
def test_the_report_downloads_as_csv_and_xlsx(client, people):
    client.force_login(people["manager"])
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    assert "awareness-training" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_name = {row["Name"]: row for row in rows}
    assert by_name["Carys Councillor"]["Roles"] == MEMBERS
    assert by_name["Carys Councillor"]["Training"] == "Completed"
    assert by_name["Lee Lead"]["Partnerships led"] == "Youth employment"
    # A name a spreadsheet would run as a formula is written as text.
    assert "'=HYPERLINK() Head" in by_name

    xlsx = client.get(URL, {"export": "xlsx", "role": people["member"].groups.get().pk})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = list(sheet.values)
    assert values[0][:4] == ("Name", "Email", "Roles", "Training")
    assert [row[0] for row in values[1:]] == ["Carys Councillor"]


@pytest.mark.parametrize("role", [LEAD_OFFICERS, HEADS_OF_SERVICE, MANAGEMENT_BOARD, MEMBERS, STAFF])
def test_only_register_managers_see_the_report(client, people, make_user, role):
    client.force_login(make_user(STAFF, role))
    assert client.get(URL).status_code in (302, 403)
    assert client.get(URL, {"export": "csv"}).status_code in (302, 403)
