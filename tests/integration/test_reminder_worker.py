"""The review-due sweep on a real Celery worker and Redis, including a worker killed half-way.

Needs REDIS_URL and a PostgreSQL test database (DATABASE_URL), as CI runs it: the
worker is a separate process that reads the rows this test commits.
"""

import datetime
import os
import re
import signal
import uuid
from collections import Counter

import pytest

from partnerships.models import Partnership
from portal.roles import REGISTER_MANAGERS, STAFF
from tests.integration.conftest import _start_worker
from tests.workflows.reminders_support import clear_site
from workflows.bench import build_register
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


def replace_worker(worker, log_path, monkeypatch, **env):
    """Stop the session's worker and run a new one in its place, with ``env`` added to its environment.

    The session's other tests keep using the same ``CeleryWorker`` object, so the new
    process is swapped into it; the caller restores an ordinary worker at the end.
    """
    worker.stop()
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        new = _start_worker(worker.redis_url, worker.database_url, worker.shares_database, log_path)
    worker.process, worker.log_path, worker.nodename = new.process, new.log_path, new.nodename
    return new


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


def test_a_worker_killed_mid_sweep_then_a_rerun_sends_every_reminder_exactly_once(
    transactional_db, celery_worker_process, make_user, wait_for, monkeypatch, tmp_path
):
    celery_worker_process.require_shared_database()
    worker = celery_worker_process
    make_register(1000, make_user)
    assert Partnership.objects.count() == 1000

    try:
        # A worker that pauses 50 ms after each email, so it can be killed part-way through.
        slow = replace_worker(worker, tmp_path / "slow.log", monkeypatch, REMINDER_SEND_DELAY_MS="50")
        sweep = send_review_reminders.delay(DAY.isoformat())
        wait_for(
            lambda: sent_count() >= 40,
            timeout=60,
            interval=0.02,
            message=lambda: f"the sweep to start sending; its log:\n{slow.log_tail()}",
        )
        os.kill(slow.pid, signal.SIGKILL)
        slow.process.wait(timeout=10)
        assert slow.process.returncode == -signal.SIGKILL

        cut_off_at = sent_count()
        assert 40 <= cut_off_at < 1000, cut_off_at  # some, not all
        assert Notification.objects.count() == 1000  # every reminder recorded before any was sent

        # A new worker; killed tasks come back to it after a short visibility timeout.
        fresh = replace_worker(worker, tmp_path / "fresh.log", monkeypatch, CELERY_VISIBILITY_TIMEOUT="3")
        rerun = send_review_reminders.delay(DAY.isoformat())
        wait_for(
            lambda: sent_count() == 1000,
            timeout=120,
            message=lambda: f"every reminder to be sent ({sent_count()} so far); log:\n{fresh.log_tail()}",
        )
        wait_for(
            lambda: f"send_review_reminders[{rerun.id}] succeeded" in fresh.log(),
            timeout=30,
            message=lambda: fresh.log_tail(),
        )
        # The killed sweep's own message is redelivered too (acks_late): it must send nothing more.
        wait_for(
            lambda: f"send_review_reminders[{sweep.id}] succeeded" in slow.log() + fresh.log(),
            timeout=60,
            message=lambda: f"the killed sweep to be redelivered; log:\n{fresh.log_tail()}",
        )
    finally:
        replace_worker(worker, tmp_path / "restored.log", monkeypatch)

    # Every reminder recorded once, sent once: counted in the database and in the workers' own logs.
    assert Notification.objects.count() == 1000
    assert sent_count() == 1000
    keys = list(Notification.objects.values_list("event", "recipient_id", "content_type_id", "object_id", "step"))
    assert len(set(keys)) == len(keys)
    sends = sent_ids_in(slow.log(), fresh.log())
    assert set(sends.values()) == {1}, [pk for pk, n in sends.items() if n > 1]
    assert set(sends) == set(Notification.objects.values_list("pk", flat=True))
    assert len(sends) == 1000
