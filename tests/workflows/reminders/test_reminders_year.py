"""A frozen clock walked through a year: everyone gets exactly the reminders, escalations and digests they should.

The beat task runs at 07:00 London time every day of 2026 over a small register
whose officers submit some reports and reviews (on time, early, late) and not
others, and whose entry changes lead officer part-way. The full list of what each
person was sent, and on which day, is compared with the list worked out by hand
from the rule in ``workflows.reminders.rules``.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from partnerships.models import AnnualReview, Partnership, ProgressReport, RiskRegisterEntry, Status
from partnerships.reviews.services import submit_annual_review, submit_progress_report
from portal.models import GuidancePage
from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory
from tests.workflows.factories import D
from workflows.models import Notification
from workflows.tasks import send_review_reminders

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)
DIGEST = "digest.overdue"


@pytest.fixture
def register(quiet_site, make_user):
    person = {
        name: make_user(STAFF, *groups, username=name)
        for name, groups in [
            ("lee", [LEAD_OFFICERS]),
            ("lena", [LEAD_OFFICERS]),
            ("hannah", [HEADS_OF_SERVICE]),
            ("harry", [HEADS_OF_SERVICE]),
            ("rita", [REGISTER_MANAGERS]),
            ("ralph", [REGISTER_MANAGERS]),
            ("olive", []),
        ]
    }
    make_user(STAFF, REGISTER_MANAGERS, username="gone", is_active=False)
    housing = ServiceAreaFactory(name="Housing", head_of_service=person["hannah"])
    leisure = ServiceAreaFactory(name="Leisure", head_of_service=person["harry"])
    p1 = PartnershipFactory(
        name="Community Safety",
        lead_officer=person["lee"],
        service_area=housing,
        next_progress_report_due=D(2026, 4, 30),
        next_review_due=D(2026, 9, 30),
    )
    p2 = PartnershipFactory(
        name="Leisure Trust",
        lead_officer=person["lena"],
        service_area=leisure,
        next_progress_report_due=D(2026, 6, 15),
        terms_of_reference_renewal_date=D(2026, 12, 1),
    )
    RiskRegisterEntry.objects.create(
        partnership=p2, description="Funding ends", likelihood=3, impact=3, review_date=D(2026, 8, 1)
    )
    # Never chased: closed, and a proposal.
    PartnershipFactory(
        name="Old Forum", lead_officer=person["lee"], status=Status.CLOSED, next_progress_report_due=D(2026, 3, 1)
    )
    PartnershipFactory(name="New Idea", lead_officer=person["lena"], draft=True, next_progress_report_due=D(2026, 3, 1))
    page = GuidancePage.objects.live().first()
    page.content_owner = person["olive"]
    page.review_by = D(2026, 7, 1)
    page.save(update_fields=["content_owner", "review_by"])
    return person, p1, p2


def report(partnership):
    return ProgressReport(
        partnership=partnership,
        period_start=D(2025, 11, 1),
        period_end=D(2026, 4, 30),
        rating="green",
        sufficient_progress=True,
        achievements="Joint patrols in the town centre.",
        next_steps="Extend them to the estates.",
    )


def review(partnership):
    return AnnualReview(
        partnership=partnership,
        review_date=D(2026, 10, 5),
        outcome="continue",
        activity_year=2026,
        activity_summary="Met quarterly.",
    )


# What officers do during the year, by the day they do it (before that day's 07:00 sweep).
def actions(person, p1, p2):
    return {
        D(2026, 4, 25): lambda: submit_progress_report(report(p1), person["lee"]),  # early: next due 25 Oct
        D(2026, 10, 5): lambda: submit_annual_review(review(p1), [], person["lee"]),  # late: next due 5 Oct 2027
        # A register manager gives the Leisure Trust to Lee (on the live row, as publishing would).
        D(2026, 11, 10): lambda: Partnership.objects.filter(pk=p2.pk).update(lead_officer=person["lee"]),
    }


def expected_reminders():
    """(day sent, recipient, event, due date) worked out by hand from the due rule."""
    p, r, t, k, c = "progress_report", "annual_review", "tor_renewal", "risk_review", "content_review"
    return [
        # Community Safety (Lee; Housing, Hannah). Report due 30 Apr, sent early on 25 Apr.
        (D(2026, 3, 31), "lee", f"reminder.{p}.due_in_30", "2026-04-30"),
        (D(2026, 4, 23), "lee", f"reminder.{p}.due_in_7", "2026-04-30"),
        # Review due 30 Sep, sent 5 days late (before the escalation).
        (D(2026, 8, 31), "lee", f"reminder.{r}.due_in_30", "2026-09-30"),
        (D(2026, 9, 23), "lee", f"reminder.{r}.due_in_7", "2026-09-30"),
        (D(2026, 9, 30), "lee", f"reminder.{r}.due_today", "2026-09-30"),
        # The next report, due 25 Oct (six months after the early one), is never sent:
        # escalated to Hannah after 14 days.
        (D(2026, 9, 25), "lee", f"reminder.{p}.due_in_30", "2026-10-25"),
        (D(2026, 10, 18), "lee", f"reminder.{p}.due_in_7", "2026-10-25"),
        (D(2026, 10, 25), "lee", f"reminder.{p}.due_today", "2026-10-25"),
        (D(2026, 11, 8), "hannah", f"escalation.{p}", "2026-10-25"),
        # Leisure Trust (Lena, then Lee from 10 Nov; Leisure, Harry). Nothing is ever done.
        (D(2026, 5, 16), "lena", f"reminder.{p}.due_in_30", "2026-06-15"),
        (D(2026, 6, 8), "lena", f"reminder.{p}.due_in_7", "2026-06-15"),
        (D(2026, 6, 15), "lena", f"reminder.{p}.due_today", "2026-06-15"),
        (D(2026, 6, 29), "harry", f"escalation.{p}", "2026-06-15"),
        (D(2026, 7, 2), "lena", f"reminder.{k}.due_in_30", "2026-08-01"),
        (D(2026, 7, 25), "lena", f"reminder.{k}.due_in_7", "2026-08-01"),
        (D(2026, 8, 1), "lena", f"reminder.{k}.due_today", "2026-08-01"),
        (D(2026, 8, 15), "harry", f"escalation.{k}", "2026-08-01"),
        (D(2026, 11, 1), "lena", f"reminder.{t}.due_in_30", "2026-12-01"),
        # The new lead officer is told the stage in hand on taking over, then the rest.
        (D(2026, 11, 10), "lee", f"reminder.{t}.due_in_30", "2026-12-01"),
        (D(2026, 11, 24), "lee", f"reminder.{t}.due_in_7", "2026-12-01"),
        (D(2026, 12, 1), "lee", f"reminder.{t}.due_today", "2026-12-01"),
        (D(2026, 12, 15), "harry", f"escalation.{t}", "2026-12-01"),
        # The guidance page (Olive), never reviewed: no escalation for pages.
        (D(2026, 6, 1), "olive", f"reminder.{c}.due_in_30", "2026-07-01"),
        (D(2026, 6, 24), "olive", f"reminder.{c}.due_in_7", "2026-07-01"),
        (D(2026, 7, 1), "olive", f"reminder.{c}.due_today", "2026-07-01"),
    ]


def expected_digests():
    """Rita and Ralph, weekly from the first day anything is overdue (16 June, a Tuesday) to the year's end.

    The Leisure Trust's report, due 15 June, stays overdue all year, so every later
    week's digest goes on its Monday.
    """
    first = D(2026, 6, 16)
    days_sent = [first]
    monday = first + datetime.timedelta(days=7 - first.weekday())
    while monday <= YEAR_END:
        days_sent.append(monday)
        monday += datetime.timedelta(days=7)
    return [
        (day, manager, DIGEST, f"{day.isocalendar().year}-W{day.isocalendar().week:02d}")
        for day in days_sent
        for manager in ("ralph", "rita")
    ]


def test_a_year_of_reminders_escalations_and_digests(register, django_capture_on_commit_callbacks):
    person, p1, p2 = register
    todo = actions(person, p1, p2)
    seen = set()
    sent = []
    day = YEAR_START
    while day <= YEAR_END:
        if day in todo:
            with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 6, 0, tzinfo=LONDON)):
                todo.pop(day)()
        with (
            time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 0, tzinfo=LONDON), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            send_review_reminders.apply()
        rows = set(Notification.objects.values_list("pk", "recipient__username", "event", "step"))
        sent += sorted((day, username, event, step) for _pk, username, event, step in rows - seen)
        seen = rows
        day += datetime.timedelta(days=1)

    assert todo == {}
    assert sorted(sent) == sorted(expected_reminders() + expected_digests())
    # Each was sent by email exactly once, and nothing else was.
    assert len(mail.outbox) == len(sent)
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}
    username_of = {user.email: user.username for user in person.values()}
    assert sorted(username_of[m.to[0]] for m in mail.outbox) == sorted(username for _d, username, _e, _s in sent)
    # The entries moved on as the submissions said.
    p1.refresh_from_db()
    assert (p1.next_progress_report_due, p1.next_review_due) == (D(2026, 10, 25), D(2027, 10, 5))
