"""The review-due sweep on a real Celery worker and Redis.

A worker killed half-way is in test_outbox_faults.py (at least once, the same Message-ID).

Needs REDIS_URL and a PostgreSQL test database (DATABASE_URL), as CI runs it: the
worker is a separate process that reads the rows this test commits.
"""

import datetime
import re
import uuid
from collections import Counter

import pytest

from portal.roles import REGISTER_MANAGERS, STAFF
from tests.bench.review_sweep import build_register
from tests.workflows.factories import clear_site
from workflows.models import Notification
from workflows.tasks import send_review_reminders

pytestmark = pytest.mark.integration

DAY = datetime.date(2026, 6, 1)
SENT_LINE = re.compile(r"Sent reminder notification (\d+)")


def sent_count():
    return Notification.objects.filter(status=Notification.Status.SENT).count()


def sent_ids_in(*logs):
    return Counter(int(match) for log in logs for match in SENT_LINE.findall(log))


def make_register(count, make_user):
    """``count`` partnerships whose progress report is due on DAY, each with its own lead officer."""
    clear_site()
    make_user(STAFF, REGISTER_MANAGERS, username=f"manager-{uuid.uuid4().hex[:8]}")
    return build_register(count, DAY, due_on=DAY, leads=count, seed=uuid.uuid4().int % 10_000)


def test_a_real_worker_runs_the_daily_sweep(transactional_db, celery_worker_process, make_user, wait_for):
    celery_worker_process.require_shared_database()
    make_register(3, make_user)

    result = send_review_reminders.delay(DAY.isoformat())

    wait_for(
        lambda: sent_count() == 3,
        timeout=30,
        message=lambda: f"three reminders to be sent; worker log:\n{celery_worker_process.log_tail()}",
    )
    wait_for(
        lambda: f"Task workflows.tasks.send_review_reminders[{result.id}] succeeded" in celery_worker_process.log(),
        timeout=10,
        message="the worker to log the sweep's success",
    )
    assert sorted(Notification.objects.values_list("event", flat=True)) == ["reminder.progress_report.due_today"] * 3
    assert len(sent_ids_in(celery_worker_process.log())) >= 3

    # The next day's run (beat runs it daily) sends nothing again.
    again = send_review_reminders.delay(DAY.isoformat())
    wait_for(
        lambda: f"Task workflows.tasks.send_review_reminders[{again.id}] succeeded" in celery_worker_process.log(),
        timeout=30,
        message=lambda: celery_worker_process.log_tail(),
    )
    assert Notification.objects.count() == 3
    assert sent_count() == 3
