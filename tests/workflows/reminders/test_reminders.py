"""The review-due sweep: every offset, escalation, the weekly digest, and never the same reminder twice."""

import datetime
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.models import RiskRegisterEntry, Status
from partnerships.reviews.services import submit_progress_report
from portal.models import GuidancePage
from tests.partnerships.factories import ServiceAreaFactory
from tests.workflows.factories import D, days, keys, recorded
from workflows.models import Notification
from workflows.reminders import delivery, rules, sweep
from workflows.tasks import send_review_reminders

pytestmark = pytest.mark.django_db

DUE = D(2026, 5, 20)  # a Wednesday


# --- The due rule, on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before_due", "stage"),
    [
        (45, None),
        (31, None),
        (30, 30),
        (8, 30),
        (7, 7),
        (1, 7),
        (0, 0),
        (-1, 0),
        (-13, 0),
        (-14, rules.ESCALATION),
        (-200, rules.ESCALATION),
    ],
)
def test_each_stage_runs_from_its_day_until_the_next_begins(days_before_due, stage):
    assert rules.stage_for(DUE, DUE - days(days_before_due), [30, 7, 0], 14) == stage


def test_offsets_and_escalation_come_from_settings(settings):
    settings.REMINDER_OFFSETS_DAYS = [14, 60, 1]
    settings.ESCALATION_AFTER_DAYS = 3
    assert rules.offsets() == [60, 14, 1]
    assert rules.stage_for(DUE, DUE - days(61)) is None
    assert rules.stage_for(DUE, DUE - days(20)) == 60
    assert rules.stage_for(DUE, DUE - days(14)) == 14
    assert rules.stage_for(DUE, DUE - days(1)) == 1
    assert rules.stage_for(DUE, DUE + days(2)) == 1  # the last stage lasts until the escalation
    assert rules.stage_for(DUE, DUE + days(3)) == rules.ESCALATION
    assert rules.event_name("annual_review", 60) == "reminder.annual_review.due_in_60"
    assert rules.event_name("annual_review", 0) == "reminder.annual_review.due_today"
    assert rules.event_name("annual_review", rules.ESCALATION) == "escalation.annual_review"


# --- Every offset and the escalation, walked day by day ------------------------------------------


def walk(start, end, digests=False):
    """Run the sweep each day from start to end; return [(day, username, event, step)] as they appear.

    Leaves out the register managers' weekly digests unless asked for them.
    """
    seen = set(recorded())
    log = []
    day = start
    while day <= end:
        sweep.run_sweep(day)
        now = set(recorded())
        log += [(day, *row) for row in sorted(now - seen) if digests or row[1] != rules.DIGEST_EVENT]
        seen = now
        day += days(1)
    return log


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("next_progress_report_due", "progress_report"),
        ("next_review_due", "annual_review"),
        ("terms_of_reference_renewal_date", "tor_renewal"),
    ],
)
def test_each_offset_then_the_escalation_exactly_once(reminder_people, field, kind):
    reminder_people.entry(**{field: DUE})
    step = DUE.isoformat()

    log = walk(DUE - days(40), DUE + days(40))

    assert log == [
        (DUE - days(30), "lead", f"reminder.{kind}.due_in_30", step),
        (DUE - days(7), "lead", f"reminder.{kind}.due_in_7", step),
        (DUE, "lead", f"reminder.{kind}.due_today", step),
        (DUE + days(14), "head", f"escalation.{kind}", step),
    ]


def test_risk_register_reviews_are_chased_once_per_review_date(reminder_people):
    entry = reminder_people.entry()
    for description in ("Funding ends", "Partner leaves"):
        RiskRegisterEntry.objects.create(
            partnership=entry, description=description, likelihood=2, impact=3, review_date=DUE
        )
    RiskRegisterEntry.objects.create(
        partnership=entry, description="Later", likelihood=2, impact=3, review_date=DUE + days(100)
    )

    log = walk(DUE - days(31), DUE + days(14))

    assert [(day, event) for day, _user, event, _step in log] == [
        (DUE - days(30), "reminder.risk_review.due_in_30"),
        (DUE - days(7), "reminder.risk_review.due_in_7"),
        (DUE, "reminder.risk_review.due_today"),
        (DUE + days(14), "escalation.risk_review"),
    ]


def test_guidance_pages_remind_their_owner_and_are_not_escalated(reminder_people, make_user):
    owner = make_user(username="owner")
    page = GuidancePage.objects.live().first()
    page.content_owner = owner
    page.review_by = DUE
    page.save(update_fields=["content_owner", "review_by"])

    log = walk(DUE - days(31), DUE + days(30))

    assert log == [
        (DUE - days(30), "owner", "reminder.content_review.due_in_30", DUE.isoformat()),
        (DUE - days(7), "owner", "reminder.content_review.due_in_7", DUE.isoformat()),
        (DUE, "owner", "reminder.content_review.due_today", DUE.isoformat()),
    ]
    assert Notification.objects.filter(object_id=str(page.pk)).count() == 3


def test_a_missed_day_still_sends_the_stage_and_an_overtaken_one_is_never_sent(reminder_people):
    reminder_people.entry(next_progress_report_due=DUE)
    sweep.run_sweep(DUE - days(25))  # the 30-day stage's first day was missed
    assert recorded() == [("lead", "reminder.progress_report.due_in_30", DUE.isoformat())]

    later = reminder_people.entry(next_progress_report_due=DUE + days(5))  # created within the 7-day stage
    sweep.run_sweep(DUE)
    assert recorded(object_id=str(later.pk)) == [
        ("lead", "reminder.progress_report.due_in_7", (DUE + days(5)).isoformat())
    ]


def test_escalation_goes_to_the_service_areas_head_when_the_entry_names_none(reminder_people, make_user):
    area_head = make_user(username="area-head")
    entry = reminder_people.entry(next_review_due=DUE, service_area=ServiceAreaFactory(head_of_service=area_head))
    entry.__class__.objects.filter(pk=entry.pk).update(head_of_service=None)

    sweep.run_sweep(DUE + days(14))

    assert recorded(event__startswith="escalation.") == [("area-head", "escalation.annual_review", DUE.isoformat())]


def test_only_partnerships_in_force_and_people_who_can_receive_mail_are_chased(reminder_people, make_user):
    for status in (Status.PROPOSED, Status.AWAITING_APPROVAL, Status.CLOSED, Status.REJECTED):
        reminder_people.entry(next_progress_report_due=DUE, status=status)
    reminder_people.entry(next_progress_report_due=DUE, lead_officer=make_user(email=""))
    reminder_people.entry(next_progress_report_due=DUE, lead_officer=make_user(is_active=False))
    reminder_people.entry(next_progress_report_due=DUE, lead_officer=None)
    exiting = reminder_people.entry(next_progress_report_due=DUE, status=Status.EXITING)

    sweep.run_sweep(DUE)

    assert recorded() == [("lead", "reminder.progress_report.due_today", DUE.isoformat())]
    assert Notification.objects.get().object_id == str(exiting.pk)


def test_submitting_the_report_stops_the_series_and_starts_the_next(reminder_people):
    entry = reminder_people.entry(next_progress_report_due=DUE)
    sweep.run_sweep(DUE - days(7))
    from partnerships.models import ProgressReport

    report = ProgressReport(
        partnership=entry,
        period_start=D(2025, 11, 21),
        period_end=DUE,
        rating="green",
        sufficient_progress=True,
        achievements="Much",
        next_steps="More",
    )
    submit_progress_report(report, reminder_people.lead, today=DUE - days(3))

    log = walk(DUE - days(6), DUE + days(200))

    next_due = D(2026, 11, 17)  # six months after the report was made, three days before it was due
    assert [(day, event, step) for day, _u, event, step in log] == [
        (next_due - days(30), "reminder.progress_report.due_in_30", next_due.isoformat()),
        (next_due - days(7), "reminder.progress_report.due_in_7", next_due.isoformat()),
        (next_due, "reminder.progress_report.due_today", next_due.isoformat()),
        (next_due + days(14), "escalation.progress_report", next_due.isoformat()),
    ]


def test_the_reminder_says_what_is_due_when_and_links_to_the_form(reminder_people, django_capture_on_commit_callbacks):
    entry = reminder_people.entry(name="Community Safety Partnership", next_progress_report_due=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep.run_sweep(DUE - days(30))
    (message,) = mail.outbox
    assert message.to == ["lead@council.example"] or message.to == [reminder_people.lead.email]
    assert message.subject == (
        f"The progress report of Community Safety Partnership ({entry.reference}) is due in 30 days"
    )
    assert "due in 30 days, on 20 May 2026" in message.body
    assert f"/intranet/register/{entry.pk}/progress-report/" in message.body
    html = message.alternatives[0].content
    assert "Community Safety Partnership" in html


def test_the_escalation_names_the_lead_officer(reminder_people, django_capture_on_commit_callbacks):
    reminder_people.entry(name="Health Board", next_review_due=DUE)
    with django_capture_on_commit_callbacks(execute=True):
        sweep.run_sweep(DUE + days(20))
    (message,) = [m for m in mail.outbox if m.to != [reminder_people.manager.email]]
    assert message.to == [reminder_people.head.email]
    assert message.subject.startswith("Escalated: the annual review of Health Board")
    assert "20 days overdue" in message.subject
    assert "Lead officer: Lee Lead" in message.body


# --- The weekly digest --------------------------------------------------------------------------

MONDAY = D(2026, 6, 1)


def test_register_managers_get_one_digest_a_week_while_anything_is_overdue(reminder_people, make_user):
    other_manager = make_user("Register managers", username="manager2")
    make_user("Register managers", username="gone", is_active=False)
    reminder_people.entry(next_progress_report_due=MONDAY - days(3))

    log = walk(MONDAY - days(7), MONDAY + days(15), digests=True)
    digests = [(day, user, step) for day, user, event, step in log if event == rules.DIGEST_EVENT]

    assert digests == [
        (MONDAY - days(2), "manager", "2026-W22"),  # the first day anything was overdue, that week
        (MONDAY - days(2), "manager2", "2026-W22"),
        (MONDAY, "manager", "2026-W23"),
        (MONDAY, "manager2", "2026-W23"),
        (MONDAY + days(7), "manager", "2026-W24"),
        (MONDAY + days(7), "manager2", "2026-W24"),
        (MONDAY + days(14), "manager", "2026-W25"),
        (MONDAY + days(14), "manager2", "2026-W25"),
    ]
    assert other_manager.notifications.count() == 4


def test_the_digest_waits_for_its_weekday_and_a_missed_one_goes_the_next_day(reminder_people, settings):
    settings.REMINDER_DIGEST_WEEKDAY = 2  # Wednesday
    reminder_people.entry(next_progress_report_due=MONDAY - days(20))
    sweep.run_sweep(MONDAY)
    sweep.run_sweep(MONDAY + days(1))
    assert recorded(event=rules.DIGEST_EVENT) == []
    sweep.run_sweep(MONDAY + days(3))  # Wednesday's sweep did not run; Thursday's sends it
    sweep.run_sweep(MONDAY + days(4))
    assert recorded(event=rules.DIGEST_EVENT) == [("manager", rules.DIGEST_EVENT, "2026-W23")]


def test_no_digest_when_nothing_is_overdue(reminder_people):
    reminder_people.entry(next_progress_report_due=MONDAY)  # due today is not overdue
    sweep.run_sweep(MONDAY)
    assert recorded(event=rules.DIGEST_EVENT) == []


def test_the_digest_lists_what_is_overdue_by_kind(reminder_people, django_capture_on_commit_callbacks):
    reminder_people.entry(name="Late Report", next_progress_report_due=MONDAY - days(10))
    reminder_people.entry(name="Late Review", next_review_due=MONDAY - days(40))
    with django_capture_on_commit_callbacks(execute=True):
        sweep.run_sweep(MONDAY)
    (digest,) = [m for m in mail.outbox if m.to == [reminder_people.manager.email]]
    assert digest.subject == "Overdue reviews and reports, week 2026-W23: 2 overdue"
    assert "Progress report: 1 overdue" in digest.body
    assert "Late Report" in digest.body and "10 days overdue" in digest.body
    assert "Annual review: 1 overdue" in digest.body and "40 days overdue" in digest.body


# --- Never twice: reruns, a cut-off sweep, a retried task -----------------------------------------


def test_a_second_sweep_sends_nothing_new(reminder_people, django_capture_on_commit_callbacks):
    reminder_people.entry(next_progress_report_due=MONDAY, next_review_due=MONDAY - days(20))
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep.run_sweep(MONDAY)
        second = sweep.run_sweep(MONDAY)
    assert first.total == 3  # due today, escalation, digest
    assert second.total == 0
    assert len(mail.outbox) == 3
    assert len(keys()) == len(set(keys())) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_a_sweep_cut_off_half_way_is_completed_by_the_next_without_repeats(
    reminder_people, django_capture_on_commit_callbacks
):
    for _ in range(7):
        reminder_people.entry(next_progress_report_due=MONDAY)
    real_record = delivery.record
    calls = []

    def dies_on_the_third_batch(batch, dry_run=False):
        calls.append(len(batch))
        if len(calls) == 3:
            raise SystemExit("worker killed")
        return real_record(batch, dry_run)

    with mock.patch.object(delivery, "record", dies_on_the_third_batch), pytest.raises(SystemExit):
        sweep.run_sweep(MONDAY, batch_size=2)
    assert Notification.objects.count() == 4  # two whole batches; nothing handed on yet
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        rerun = sweep.run_sweep(MONDAY, batch_size=2)

    assert rerun.total == 3  # the other three; nothing is overdue, so no digest
    assert rerun.handed_on == 7
    assert len(mail.outbox) == 7
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 7
    assert len(keys()) == len(set(keys()))


def test_a_retried_task_sends_each_reminder_once(reminder_people, django_capture_on_commit_callbacks):
    for _ in range(5):
        reminder_people.entry(next_review_due=MONDAY - days(1))
    real_record = delivery.record
    failures = []

    def fails_once_half_way(batch, dry_run=False):
        if len(failures) == 0 and Notification.objects.exists():
            failures.append(1)
            raise OperationalError("the database went away")
        return real_record(batch, dry_run)

    with (
        mock.patch.object(delivery, "record", fails_once_half_way),
        override_settings(REMINDER_BATCH_SIZE=2),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # The first attempt records one batch, then the database fails: Celery retries it.
        with pytest.raises(Retry):
            send_review_reminders.apply(args=[MONDAY.isoformat()])
        assert Notification.objects.count() == 2
        assert mail.outbox == []
        # The retry (the same task, delivered again) completes the sweep.
        result = send_review_reminders.apply(args=[MONDAY.isoformat()], retries=1)

    assert failures == [1]
    assert result.successful()
    assert result.get()["recorded"] == {"reminder": 3, "digest": 1}  # the retry's own work
    assert Notification.objects.count() == 6  # five entries' escalations... and a digest
    assert len(mail.outbox) == 6
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 6


def test_rows_whose_hand_over_was_lost_are_sent_by_the_next_sweep(reminder_people, django_capture_on_commit_callbacks):
    reminder_people.entry(next_progress_report_due=MONDAY)
    sweep.run_sweep(MONDAY)  # recorded, but the on-commit hand-over never ran (broker down)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        rerun = sweep.run_sweep(MONDAY)

    assert rerun.total == 0
    assert rerun.handed_on == 1
    assert len(mail.outbox) == 1


def test_a_mail_failure_leaves_the_reminder_pending_for_the_next_try(reminder_people, settings):
    settings.EMAIL_BACKEND = "tests.workflows.failing_mail.DownEmailBackend"
    reminder_people.entry(next_progress_report_due=MONDAY)
    notification_ids = []
    sweep.run_sweep(MONDAY)
    notification_ids = list(Notification.objects.values_list("pk", flat=True))

    assert delivery.deliver_batch(notification_ids) == 0
    notification = Notification.objects.get()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1

    assert notification.retry_at is not None  # the relay hands it on again then
    assert delivery.deliver_batch(notification_ids) == 0  # not before its time

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.update(retry_at=timezone.now())
    assert delivery.deliver_batch(notification_ids) == 1
    assert delivery.deliver_batch(notification_ids) == 0
    assert len(mail.outbox) == 1


# --- Batches and the command -----------------------------------------------------------------------


def test_queries_grow_with_batches_not_entries(reminder_people):
    def queries_for_a_sweep(more_entries):
        for _ in range(more_entries):
            reminder_people.entry(next_progress_report_due=MONDAY + days(30))
        with CaptureQueriesContext(connection) as queries:
            result = sweep.run_sweep(MONDAY, dry_run=True, batch_size=50)
        return len(queries.captured_queries), len(result.new)

    few, found = queries_for_a_sweep(3)
    assert found == 3
    many, found = queries_for_a_sweep(40)
    assert found == 43
    assert many == few  # one batch either way
    more, found = queries_for_a_sweep(10)
    assert found == 53
    # A second batch: its entries, their risk review dates, what is already recorded, the people to tell.
    assert more == few + 4


def test_dry_run_lists_and_records_nothing(reminder_people):
    reminder_people.entry(next_progress_report_due=MONDAY)
    result = sweep.run_sweep(MONDAY, dry_run=True)
    assert [r.event for r in result.new] == ["reminder.progress_report.due_today"]
    assert Notification.objects.count() == 0


def test_the_command_takes_a_date_and_a_dry_run(reminder_people, capsys):
    reminder_people.entry(name="Parks Trust", next_progress_report_due=MONDAY)

    call_command("send_review_reminders", "--dry-run", "--date", MONDAY.isoformat())
    out = capsys.readouterr().out
    assert "reminder.progress_report.due_today\tParks Trust\t2026-06-01" in out
    assert "Would send for 2026-06-01: 1 reminder." in out
    assert Notification.objects.count() == 0

    call_command("send_review_reminders", "--date", MONDAY.isoformat())
    assert "Recorded for 2026-06-01: 1 reminder." in capsys.readouterr().out
    assert Notification.objects.count() == 1

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_review_reminders", "--date", "01/06/2026")


def test_the_sweep_date_defaults_to_today_in_london(reminder_people):
    import time_machine

    reminder_people.entry(next_progress_report_due=MONDAY)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 7, 0, tzinfo=datetime.UTC), tick=False):
        result = sweep.run_sweep()
    assert result.today == MONDAY
