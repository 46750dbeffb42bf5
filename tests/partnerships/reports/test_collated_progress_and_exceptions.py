"""Collated progress (intranet) and the Cabinet exception report (admin), checked against a fixture register."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse_lazy

from partnerships.models import Status
from partnerships.reports.cabinet_exceptions import cabinet_report
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory, progress_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_10_june_2026")]

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date
TODAY = D(2026, 6, 10)
PROGRESS = "/intranet/register/progress/"
EXCEPTIONS = reverse_lazy("workflows_reports:exception_report")


@pytest.fixture
def register(portal_site):
    housing = ServiceAreaFactory(name="Housing")
    leisure = ServiceAreaFactory(name="Leisure")

    def entry(name, area, **fields):
        fields.setdefault("next_progress_report_due", D(2026, 10, 31))
        fields.setdefault("next_review_due", D(2027, 1, 31))
        return PartnershipFactory(name=name, service_area=area, **fields)

    alpha = entry("Alpha", housing)
    progress_report(alpha, D(2026, 4, 5), "red", sufficient=False)
    bravo = entry("Bravo", housing)
    progress_report(bravo, D(2026, 4, 10), "green")
    charlie = entry("Charlie", leisure)
    progress_report(charlie, D(2026, 5, 1), "amber", sufficient=False)
    entry("Delta", leisure, next_progress_report_due=D(2026, 5, 31))  # no report, and it is overdue
    echo = entry("Echo", housing, status=Status.CLOSED)
    progress_report(echo, D(2026, 4, 1), "red", sufficient=False)
    foxtrot = entry("Foxtrot", leisure)
    progress_report(foxtrot, D(2026, 1, 10), "red")
    progress_report(foxtrot, D(2026, 4, 20), "green")  # the latest
    golf = entry("Golf", housing, next_review_due=D(2026, 5, 1))  # review overdue
    progress_report(golf, D(2026, 4, 1), "green")
    hotel = entry("Hotel", leisure)
    progress_report(hotel, D(2025, 11, 1), "red")  # before the default period
    india = entry("India", housing, next_progress_report_due=D(2026, 9, 30))
    progress_report(india, D(2026, 4, 20), "green", due=D(2026, 3, 31))  # sent three weeks late
    return {"housing": housing, "leisure": leisure}


# --- Collated progress --------------------------------------------------------------------------


def figures(response):
    return response.context["figures"]


def names(response):
    return [entry.name for entry in response.context["page_obj"]]


def test_the_latest_report_of_every_partnership_in_force(client, register, plain_staff):
    client.force_login(plain_staff)
    response = client.get(PROGRESS)
    assert response.status_code == 200
    assert names(response) == ["Alpha", "Bravo", "Golf", "India", "Charlie", "Delta", "Foxtrot", "Hotel"]
    assert figures(response) == {
        "total": 8,
        "red": 2,
        "amber": 1,
        "green": 4,
        "insufficient": 2,
        "no_report": 1,
    }
    latest = {entry.name: entry.latest_report for entry in response.context["page_obj"]}
    assert latest["Foxtrot"].rating == "green"
    assert latest["Delta"] is None
    html = response.content.decode()
    assert "Echo" not in html
    assert '<dd class="govuk-summary-list__value" data-figure="red">2</dd>' in html


@pytest.mark.parametrize(
    ("query", "expected_names", "expected"),
    [
        (
            "service_area={housing}",
            ["Alpha", "Bravo", "Golf", "India"],
            {"total": 4, "red": 1, "green": 3, "insufficient": 1},
        ),
        ("rating=red", ["Alpha", "Hotel"], {"total": 2, "red": 2, "insufficient": 1}),
        ("rating=none", ["Delta"], {"total": 1, "no_report": 1}),
        ("service_area={leisure}&rating=amber", ["Charlie"], {"total": 1, "amber": 1, "insufficient": 1}),
    ],
)
def test_collated_progress_filters_by_service_area_and_rating(
    client, register, plain_staff, query, expected_names, expected
):
    client.force_login(plain_staff)
    query = query.format(housing=register["housing"].pk, leisure=register["leisure"].pk)
    response = client.get(f"{PROGRESS}?{query}")
    assert names(response) == expected_names
    zeroes = {"total": 0, "red": 0, "amber": 0, "green": 0, "insufficient": 0, "no_report": 0}
    assert figures(response) == {**zeroes, **expected}


def test_collated_progress_takes_a_fixed_number_of_queries(client, register, plain_staff):
    client.force_login(plain_staff)
    client.get(PROGRESS)
    with CaptureQueriesContext(connection) as few:
        client.get(PROGRESS)
    for n in range(25):
        progress_report(PartnershipFactory(name=f"More {n}"), D(2026, 5, 1), "amber", sufficient=False)
    with CaptureQueriesContext(connection) as many:
        response = client.get(PROGRESS)
    assert figures(response)["total"] == 33
    assert len(many) == len(few)


def test_collated_progress_needs_a_sign_in(client, register):
    assert client.get(PROGRESS).status_code == 302


# --- The Cabinet exception report ---------------------------------------------------------------


def names_of(rows):
    return [row.name for row in rows]


def test_the_exceptions_for_the_last_cycle(register):
    report = cabinet_report(D(2025, 12, 11), TODAY)
    # Only the seed's case goes to Cabinet: the latest report says progress is not sufficient (or red).
    assert [(row.name, row.reasons) for row in report.insufficient] == [
        ("Alpha", ["Lead officer reports progress is not sufficient", "Rated red"]),
        ("Charlie", ["Lead officer reports progress is not sufficient"]),
    ]
    # What is merely overdue is its own section, with the due date.
    assert [(row.name, row.overdue_text) for row in report.overdue] == [
        ("Golf", "Annual review due 1 May 2026"),
        ("Delta", "Progress report due 31 May 2026"),
    ]


def test_the_exceptions_of_an_earlier_period_are_as_they_stood_at_its_end(register):
    report = cabinet_report(D(2025, 11, 1), D(2026, 4, 15))
    assert names_of(report.insufficient) == ["Alpha", "Foxtrot", "Hotel"]  # Foxtrot's green report came later
    assert names_of(report.overdue) == ["India"]  # sent in on 20 April, after the period


def test_the_exceptions_of_one_service_area(register):
    report = cabinet_report(D(2025, 12, 11), TODAY, service_area=register["leisure"])
    assert names_of(report.insufficient) == ["Charlie"]
    assert names_of(report.overdue) == ["Delta"]


@pytest.mark.parametrize("who", ["register_manager", "board_member"])
def test_register_managers_and_the_board_see_the_report(client, register, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(EXCEPTIONS)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Alpha", "Golf", "Charlie", "Delta"):
        assert name in html
    assert "Bravo" not in html and "Echo" not in html
    assert "Not making sufficient progress: 2 partnerships" in html
    assert "Reports and reviews overdue: 2 partnerships" in html
    assert f"{EXCEPTIONS}print/" in html  # one click to the Cabinet's copy


@pytest.mark.parametrize("who", ["lead_officer", "head_of_service", "plain_staff"])
def test_others_are_refused(client, register, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for path in (EXCEPTIONS, f"{EXCEPTIONS}print/", f"{EXCEPTIONS}?export=csv"):
        assert client.get(path).status_code in (302, 403), path


def test_the_report_downloads_as_csv_for_the_chosen_period(manager_client, register):
    response = manager_client.get(f"{EXCEPTIONS}?period_start=2025-11-01&period_end=2026-04-15&export=csv")
    assert response.status_code == 200
    assert "cabinet-exception-report-2025-11-01-to-2026-04-15.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["Section"], row["Partnership"]) for row in rows] == [
        ("Not making sufficient progress", "Alpha"),
        ("Not making sufficient progress", "Foxtrot"),
        ("Not making sufficient progress", "Hotel"),
        ("Report or review overdue", "India"),
    ]
    assert rows[0]["Latest rating"] == "Red"
    assert rows[0]["Sufficient progress"] == "No"
    assert rows[0]["Service area"] == "Housing"
    assert rows[3]["Progress report overdue since"] == "2026-03-31"
    assert rows[1]["Latest rating"] == "Red"  # as it stood at the end of the period


def test_the_print_ready_page_has_no_admin_chrome(manager_client, register):
    response = manager_client.get(f"{EXCEPTIONS}print/?service_area={register['housing'].pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "@media print" in html
    assert "Partnerships: exception report to Cabinet" in html
    assert "Alpha" in html and "Golf" in html and "Charlie" not in html
    assert "Housing" in html
    assert "wagtail" not in html.lower()  # none of the admin's scripts, styles or sidebar
    assert "11 December 2025 to 10 June 2026" in html
