"""One beat schedule, in code, in Europe/London: right on the days the clocks change.

The daily sweep is due at 07:00 London time whether that is GMT or BST, and the
sweep's "today" is the London date, not the UTC one, around midnight.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from celery.schedules import crontab

from portal.celery import app
from tests.workflows.factories import D, recorded
from workflows.reminders import rules
from workflows.tasks import send_review_reminders

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC

# (the day before, the day the clocks change, hours from 07:00 the day before to 07:00 that day)
CLOCK_CHANGES = [
    pytest.param(D(2026, 3, 28), D(2026, 3, 29), 23, id="2026-spring-forward"),
    pytest.param(D(2026, 10, 24), D(2026, 10, 25), 25, id="2026-fall-back"),
    pytest.param(D(2027, 3, 27), D(2027, 3, 28), 23, id="2027-spring-forward"),
    pytest.param(D(2027, 10, 30), D(2027, 10, 31), 25, id="2027-fall-back"),
]


def at(day, hour, minute=0, second=0, tz=LONDON):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def daily_sweep():
    return app.conf.beat_schedule["review-reminders-daily"]


def test_the_schedule_is_in_code_and_in_london_time():
    assert app.conf.timezone == "Europe/London"
    entry = daily_sweep()
    assert entry["task"] == "workflows.tasks.send_review_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert entry["task"] in app.tasks
    relay = app.conf.beat_schedule["relay-notifications"]
    assert relay["task"] == "workflows.tasks.relay_notifications"
    assert relay["schedule"] <= 5  # seconds: notifications leave the outbox promptly
    assert relay["task"] in app.tasks


@pytest.mark.parametrize(("day_before", "change_day", "hours"), CLOCK_CHANGES)
def test_the_next_run_after_yesterdays_is_07_00_local_on_the_day_the_clocks_change(day_before, change_day, hours):
    schedule = daily_sweep()["schedule"]
    last_run = at(day_before, 7)
    now = at(day_before, 7, 1)

    with time_machine.travel(now, tick=False):
        remaining = schedule.remaining_estimate(last_run)

    next_run = (now.astimezone(UTC) + remaining).astimezone(LONDON)
    assert (next_run.date(), next_run.hour, next_run.minute) == (change_day, 7, 0)
    assert remaining == datetime.timedelta(hours=hours, minutes=-1)  # 23 or 25 real hours apart


@pytest.mark.parametrize(("day_before", "change_day", "hours"), CLOCK_CHANGES)
def test_beat_finds_it_due_at_07_00_local_not_an_hour_either_side(day_before, change_day, hours):
    schedule = daily_sweep()["schedule"]
    last_run = at(day_before, 7)

    for moment, due in [
        (at(change_day, 5, 59, 59), False),  # 07:00 the other side of the change
        (at(change_day, 6, 0, 0), False),
        (at(change_day, 6, 59, 59), False),
        (at(change_day, 7, 0, 0), True),
        (at(change_day, 8, 0, 0), True),
    ]:
        with time_machine.travel(moment, tick=False):
            state = schedule.is_due(last_run)
        assert state.is_due is due, moment

    # Having run at 07:00 on the day, it is next due at 07:00 the day after.
    with time_machine.travel(at(change_day, 7, 0, 1), tick=False):
        state = schedule.is_due(at(change_day, 7))
    assert not state.is_due
    assert round(state.next) == 24 * 3600 - 1


@pytest.mark.parametrize(
    ("utc_moment", "london_date"),
    [
        # Just after midnight in London is still yesterday in UTC while London is on BST.
        (datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), D(2026, 3, 28)),  # GMT: the same date
        (datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), D(2026, 3, 29)),  # 00:30 GMT, before the change
        (datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), D(2026, 3, 30)),  # 00:30 BST
        (datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # 00:30 BST, the night it ends
        (datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), D(2026, 10, 25)),  # 01:30 BST
        (datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), D(2026, 10, 25)),  # 01:30 GMT, the repeated hour
        (datetime.datetime(2026, 10, 25, 23, 30, tzinfo=UTC), D(2026, 10, 25)),  # GMT again
        (datetime.datetime(2027, 3, 28, 23, 30, tzinfo=UTC), D(2027, 3, 29)),
        (datetime.datetime(2027, 10, 30, 23, 30, tzinfo=UTC), D(2027, 10, 31)),
    ],
)
def test_the_sweeps_today_is_the_london_date(utc_moment, london_date):
    with time_machine.travel(utc_moment, tick=False):
        assert rules.sweep_date() == london_date


@pytest.mark.parametrize(
    ("utc_moment", "change_day"),
    [
        (datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), D(2026, 3, 30)),
        (datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC), D(2026, 10, 25)),
        (datetime.datetime(2027, 3, 28, 23, 30, tzinfo=UTC), D(2027, 3, 29)),
        (datetime.datetime(2027, 10, 30, 23, 30, tzinfo=UTC), D(2027, 10, 31)),
    ],
)
def test_the_beat_task_just_after_midnight_sweeps_the_london_day(reminder_people, utc_moment, change_day):
    """A report due on the London date is "due today", not (as the UTC date would say) "due in 1 day"."""
    reminder_people.entry(next_progress_report_due=change_day)

    with time_machine.travel(utc_moment, tick=False):
        result = send_review_reminders.apply().get()

    assert result["date"] == change_day.isoformat()
    assert recorded() == [("lead", "reminder.progress_report.due_today", change_day.isoformat())]


@pytest.mark.parametrize(("day_before", "change_day", "hours"), CLOCK_CHANGES)
def test_each_offset_lands_on_its_day_across_a_clock_change(reminder_people, day_before, change_day, hours):
    """The 7-day reminder falls on the day the clocks change: each stage is sent once, on its day."""
    due = change_day + datetime.timedelta(days=7)
    reminder_people.entry(next_review_due=due)
    log = []
    for offset in range(-31, 1):
        day = due + datetime.timedelta(days=offset)
        with time_machine.travel(at(day, 7), tick=False):
            before = set(recorded())
            send_review_reminders.apply()
            log += [(day, row[1]) for row in sorted(set(recorded()) - before)]
    assert log == [
        (due - datetime.timedelta(days=30), "reminder.annual_review.due_in_30"),
        (change_day, "reminder.annual_review.due_in_7"),
        (due, "reminder.annual_review.due_today"),
    ]
