"""Reports for rationalising and reviewing the register, against a hand-built register.

Partnerships supporting no council priority (Wyre Forest 5.2, Wirral 2.4), the
six-month review of existing partnerships (Wirral 2.7), and governance gaps that
accept a business case written in the proposal or uploaded as a document.
"""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.documents.models import Document

from partnerships.models import ApprovalRecord, CouncilPriority, EqualityImpact, Status, TermsOfReferenceStatus
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)
WRITTEN_CASE = {
    "objectives": "Fewer burglaries.",
    "priorities_served": "Safer communities.",
    "added_value": "Shared patrols.",
    "costs_and_resources": "Two officer days a month.",
    "funding": "Council budget.",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC), tick=False):
        yield


def url(name, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"partnerships_reports:{name}") + (f"?{query}" if query else "")


def download(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def with_priorities(entry, *priorities):
    entry.council_priorities.set(priorities)
    entry.save()
    return entry


# --- Partnerships supporting no council priority ---


@pytest.fixture
def priorities_register():
    safer = CouncilPriority.objects.create(name="Safer communities", active=True)
    retired = CouncilPriority.objects.create(name="Town centre 2010", active=False)
    with_priorities(PartnershipFactory(name="A serves a priority", reference="P-0001"), safer)
    PartnershipFactory(name="B serves none", reference="P-0002", annual_contribution=5000)
    with_priorities(
        PartnershipFactory(
            name="C only a retired one", reference="P-0003", status=Status.UNDER_REVIEW, annual_contribution=9000
        ),
        retired,
    )
    PartnershipFactory(name="D closed", reference="P-0004", status=Status.CLOSED)
    PartnershipFactory(name="E a proposal", reference="P-0005", live=False, status=Status.PROPOSED)
    with_priorities(PartnershipFactory(name="F exiting", reference="P-0006", status=Status.EXITING), safer, retired)


def test_no_priority_lists_partnerships_in_force_with_no_current_priority(manager_client, priorities_register):
    page = manager_client.get(url("no_priority"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "B serves none" in html and "C only a retired one" in html
    for name in ("A serves a priority", "D closed", "E a proposal", "F exiting"):
        assert name not in html

    rows = download(manager_client.get(url("no_priority", export="csv")))
    assert rows[0][:2] == ["Reference", "Name"]
    assert rows[0][-1] == "Priorities named (none current)"
    # The costliest first: the first to look at when rationalising.
    assert [(r[0], r[1], r[-3], r[-1]) for r in rows[1:]] == [
        ("P-0003", "C only a retired one", "9000.00", "Town centre 2010"),
        ("P-0002", "B serves none", "5000.00", "None given"),
    ]

    sheet = load_workbook(io.BytesIO(b"".join(manager_client.get(url("no_priority", export="xlsx")).streaming_content)))
    assert [row[0] for row in sheet.active.iter_rows(min_row=2, values_only=True)] == ["P-0003", "P-0002"]


# --- The six-month review of existing partnerships ---


def recorded(entry, day, route=ApprovalRecord.Route.BACKFILL):
    ApprovalRecord.objects.filter(partnership=entry).update(
        route=route, recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    )
    return entry


@pytest.fixture
def existing_register():
    document = Document.objects.create(title="Business case")
    done = recorded(
        PartnershipFactory(name="R1 written case", reference="P-0011", **WRITTEN_CASE), datetime.date(2026, 3, 1)
    )
    RiskRegisterEntryFactory(partnership=done)
    overdue = recorded(
        PartnershipFactory(name="R2 no risk assessment", reference="P-0012", **WRITTEN_CASE), datetime.date(2026, 3, 1)
    )
    recorded(PartnershipFactory(name="R3 recent", reference="P-0013"), datetime.date(2026, 10, 1))
    recorded(PartnershipFactory(name="R4 by the Board", reference="P-0014"), datetime.date(2026, 3, 1), "board")
    recorded(PartnershipFactory(name="R5 closed", reference="P-0015", status=Status.CLOSED), datetime.date(2026, 3, 1))
    uploaded = recorded(
        PartnershipFactory(name="R6 uploaded case", reference="P-0016", business_case=document),
        datetime.date(2026, 5, 31),
    )
    RiskRegisterEntryFactory(partnership=uploaded)
    return overdue


def test_retrospective_review_tracks_each_existing_partnership_against_its_deadline(manager_client, existing_register):
    page = manager_client.get(url("retrospective_review"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "R4 by the Board" not in html and "R5 closed" not in html

    rows = download(manager_client.get(url("retrospective_review", export="csv")))
    assert rows[0][-6:] == [
        "Lead officer",
        "On the register since",
        "Review deadline",
        "Business case",
        "Risk assessment",
        "Review",
    ]
    assert [(r[0], *r[-5:]) for r in rows[1:]] == [
        ("P-0011", "2026-03-01", "2026-09-01", "Yes", "Yes", "Done"),
        ("P-0012", "2026-03-01", "2026-09-01", "Yes", "No", "Overdue"),
        ("P-0016", "2026-05-31", "2026-11-30", "Yes", "Yes", "Done"),
        ("P-0013", "2026-10-01", "2027-04-01", "No", "No", "Not yet due"),
    ]
    # The page says it in words, with the counts.
    assert "1 September 2026" in html and "30 November 2026" in html
    summary = " ".join(html.split("Existing partnerships by review")[1].split("</table>")[0].split())
    for label, count in (("Done", 2), ("Overdue", 1), ("Not yet due", 1), ("Existing partnerships", 4)):
        assert re.search(rf'<th scope="row">{label}</th> <td class="register-figure[^"]*">{count}</td>', summary), label


def test_a_risk_assessment_added_late_turns_overdue_into_done(manager_client, existing_register):
    RiskRegisterEntryFactory(partnership=existing_register)
    rows = download(manager_client.get(url("retrospective_review", export="csv")))
    assert {r[0]: r[-1] for r in rows[1:]}["P-0012"] == "Done"


# --- Governance gaps: a business case however it was given ---


def governed(name, **fields):
    entry = PartnershipFactory(
        name=name,
        terms_of_reference_status=TermsOfReferenceStatus.AGREED,
        equality_impact=EqualityImpact.DONE,
        **fields,
    )
    RiskRegisterEntryFactory(partnership=entry)
    return entry


def test_governance_gaps_accept_a_written_or_an_uploaded_business_case(manager_client):
    governed("Written case", status=Status.ACTIVE, **WRITTEN_CASE)
    governed("Uploaded case", business_case=Document.objects.create(title="Case"))
    governed("Half written", **{**WRITTEN_CASE, "funding": "  "})
    governed("No case at all")

    rows = download(manager_client.get(url("governance_gaps", export="csv")))
    missing = {row[1]: row[5] for row in rows[1:]}
    assert missing == {"Half written": "No business case", "No case at all": "No business case"}
    html = manager_client.get(url("governance_gaps")).content.decode()
    assert "Written case" not in html and "Uploaded case" not in html


@pytest.mark.parametrize("name", ["no_priority", "retrospective_review"])
def test_lead_officers_do_not_see_the_new_reports(client, lead_officer, board_member, name):
    client.force_login(lead_officer)
    assert client.get(url(name)).status_code == 403
    client.force_login(board_member)
    assert client.get(url(name, export="xlsx")).status_code == 200
