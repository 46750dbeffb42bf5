"""What is due and overdue, on the lead officer's "My partnerships" and the register managers' admin dashboard."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import RiskRegisterEntry
from portal.models import GuidancePage
from portal.roles import LEAD_OFFICERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import ServiceAreaFactory
from tests.workflows.factories import D
from workflows.dashboard import overdue_table

pytestmark = pytest.mark.django_db

TODAY = D(2026, 6, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))):
        yield


def test_my_partnerships_flags_what_is_overdue_and_due_within_7_days(client, reminder_people):
    entry = reminder_people.entry(
        name="Community Safety Partnership",
        next_progress_report_due=D(2026, 6, 1),
        next_review_due=D(2026, 6, 13),
        terms_of_reference_renewal_date=D(2026, 6, 10),
    )
    RiskRegisterEntry.objects.create(
        partnership=entry, description="Funding ends", likelihood=1, impact=1, review_date=D(2026, 9, 1)
    )
    client.force_login(reminder_people.lead)
    response = client.get("/intranet/register/mine/")
    (shown,) = response.context["page_obj"]
    assert [(i.label, i.overdue, i.due_soon, i.days) for i in shown.due_items] == [
        ("Next progress report", True, False, -9),
        ("Next annual review", False, True, 3),
        ("Terms of reference renewal", False, True, 0),
        ("Next risk register review", False, False, 83),
    ]
    html = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Due in 3 days</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Due today</strong>' in html
    assert f'href="/intranet/register/{entry.pk}/progress-report/"' in html
    assert f'href="/intranet/register/{entry.pk}/annual-review/"' in html


def test_my_partnerships_keeps_a_fixed_number_of_queries(client, reminder_people):
    client.force_login(reminder_people.lead)
    for _ in range(2):
        reminder_people.entry(next_progress_report_due=D(2026, 6, 1))
    client.get("/intranet/register/mine/")
    with CaptureQueriesContext(connection) as few:
        client.get("/intranet/register/mine/")
    for _ in range(15):
        entry = reminder_people.entry(next_progress_report_due=D(2026, 6, 1))
        RiskRegisterEntry.objects.create(partnership=entry, description="r", likelihood=1, impact=1)
    with CaptureQueriesContext(connection) as many:
        client.get("/intranet/register/mine/")
    assert len(many) == len(few)


@pytest.fixture
def overdue_register(reminder_people, make_user):
    leisure = ServiceAreaFactory(name="Leisure")
    reminder_people.entry(next_progress_report_due=D(2026, 6, 1))  # Communities: report overdue
    reminder_people.entry(next_progress_report_due=D(2026, 6, 9), next_review_due=D(2026, 1, 1))  # both overdue
    reminder_people.entry(next_progress_report_due=TODAY)  # due today: not overdue
    risky = reminder_people.entry(service_area=leisure, terms_of_reference_renewal_date=D(2026, 5, 1))
    RiskRegisterEntry.objects.create(
        partnership=risky, description="a", likelihood=1, impact=1, review_date=D(2026, 6, 1)
    )
    RiskRegisterEntry.objects.create(
        partnership=risky, description="b", likelihood=1, impact=1, review_date=D(2026, 6, 2)
    )
    reminder_people.entry(service_area=leisure, status="closed", next_progress_report_due=D(2026, 1, 1))  # not in force
    page = GuidancePage.objects.live().first()
    page.review_by = D(2026, 6, 9)
    page.save(update_fields=["review_by"])


def test_overdue_counts_by_kind_and_service_area(overdue_register):
    table = overdue_table(TODAY)
    assert [kind.slug for kind in table["kinds"]] == ["progress_report", "annual_review", "tor_renewal", "risk_review"]
    assert table["rows"] == [
        ("Communities", [2, 1, 0, 0], 3),
        ("Leisure", [0, 0, 1, 1], 2),
    ]
    assert table["totals"] == [2, 1, 1, 1]
    assert table["pages"] == 1


def test_the_panel_is_on_the_register_managers_dashboard_only(client, overdue_register, reminder_people, make_user):
    client.force_login(reminder_people.manager)
    html = client.get("/admin/").content.decode()
    assert "Overdue reviews and reports" in html
    assert '<td data-overdue-total="all">5</td>' in html
    assert "<strong data-overdue-pages>1</strong>" in html

    client.force_login(make_user(STAFF, LEAD_OFFICERS))
    assert "Overdue reviews and reports" not in client.get("/admin/").content.decode()


def test_the_panel_takes_a_fixed_number_of_queries(overdue_register, reminder_people):
    with CaptureQueriesContext(connection) as few:
        overdue_table(TODAY)
    for n in range(10):
        reminder_people.entry(next_review_due=D(2026, 1, 1), service_area=ServiceAreaFactory(name=f"Area {n}"))
    with CaptureQueriesContext(connection) as many:
        table = overdue_table(TODAY)
    assert table["totals"][1] == 11
    assert len(many) == len(few)


def test_the_register_managers_group_sees_the_panel(client, overdue_register, make_user):
    client.force_login(make_user(STAFF, REGISTER_MANAGERS))
    # Register managers hold change_any_partnership through their group (setup_portal grants it).
    assert "Overdue reviews and reports" in client.get("/admin/").content.decode()
