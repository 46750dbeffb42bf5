"""Benchmark of the review-due sweep (``make bench``): a large register, time and SQL queries.

``run(partnerships=100_000)`` tops the register up to that many partnerships in force
(bulk-inserted: 2,000 lead officers, 20 service areas, due dates spread over the
year, a risk register review on one entry in five), then measures, on PostgreSQL:

- ``cold``: the first sweep ever, when every reminder in its stage window is new
  (rendered and recorded: tens of thousands of emails);
- ``daily``: the next day's sweep, the steady state of a daily beat task: it reads
  every entry in a reminder window and what was already recorded, and renders and
  records only the reminders whose stage began that day.

Handing on to Celery is counted, not sent: each hand-on would be one message to the
broker carrying up to 1,000 notification ids, delivered by workers afterwards.
Run it only against a database that exists for the bench (``make bench`` makes one):
it inserts rows and deletes the reminders it recorded before.
"""

import datetime
import random
import time
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnerships.backfill.services import Approval, approve_in_bulk
from partnerships.models import (
    Basis,
    CouncilRole,
    Geography,
    Level,
    Membership,
    Partnership,
    RiskRegisterEntry,
    ServiceArea,
    Status,
)
from workflows import notifications
from workflows.models import Notification
from workflows.reminders.rules import REMINDER_EVENTS
from workflows.reminders.sweep import run_sweep

PREFIX = "B-"
LEADS = 2_000
AREAS = 20


def _days(n):
    return datetime.timedelta(days=n)


@transaction.atomic
def build_register(count, today, *, due_on=None, leads=LEADS, seed=5):
    """Add partnerships in force until ``count`` carry the bench's references; return how many were added.

    With ``due_on``, every new entry's progress report falls due that day and nothing
    else does; otherwise dates are spread as the module describes.
    """
    rng = random.Random(seed)
    User = get_user_model()
    existing = Partnership.objects.filter(reference__startswith=PREFIX).count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    run = f"{seed}-{existing}"
    unusable = make_password(None)  # bench officers never sign in
    heads = User.objects.bulk_create(
        User(username=f"bench-head-{run}-{n}", email=f"bench-head-{run}-{n}@council.example", password=unusable)
        for n in range(AREAS)
    )
    areas = ServiceArea.objects.bulk_create(
        ServiceArea(name=f"Bench service {run}-{n}", head_of_service=head) for n, head in enumerate(heads)
    )
    officers = User.objects.bulk_create(
        (
            User(username=f"bench-lead-{run}-{n}", email=f"bench-lead-{run}-{n}@council.example", password=unusable)
            for n in range(min(leads, wanted))
        ),
        batch_size=1000,
    )
    entries = []
    for n in range(wanted):
        number = existing + n + 1
        area = areas[n % AREAS]
        if due_on is not None:
            dates = {"next_progress_report_due": due_on}
        else:
            dates = {
                "next_progress_report_due": today + _days(rng.randint(-60, 180)),
                "next_review_due": today + _days(rng.randint(-30, 365)),
                "terms_of_reference_renewal_date": today + _days(rng.randint(0, 365)) if rng.random() < 0.2 else None,
            }
        entries.append(
            Partnership(
                name=f"Bench partnership {number}",
                reference=f"{PREFIX}{number:07d}",
                slug=f"bench-partnership-{number}",
                purpose="To measure the review-due sweep.",
                status=Status.ACTIVE,
                live=False,  # published below, with the approval record a live entry needs
                level=Level.OPERATIONAL,
                basis=Basis.VOLUNTARY,
                membership=Membership.MULTI,
                geography=Geography.DISTRICT,
                council_role=CouncilRole.ACTIVE_MEMBER,
                lead_officer=officers[n % len(officers)],
                head_of_service=area.head_of_service,
                service_area=area,
                **dates,
            )
        )
    created = Partnership.objects.bulk_create(entries, batch_size=2000)
    approve_in_bulk(created, [Approval(today, "Management Board (benchmark data)")] * len(created))
    transaction.on_commit(_analyze)
    if due_on is None:
        RiskRegisterEntry.objects.bulk_create(
            (
                RiskRegisterEntry(
                    partnership=entry,
                    description="Funding may end.",
                    likelihood=3,
                    impact=3,
                    review_date=today + _days(rng.randint(-30, 180)),
                )
                for entry in created
                if rng.random() < 0.2
            ),
            batch_size=2000,
        )
    return len(created)


def _analyze():
    """Refresh the planner's statistics after the bulk insert, as autovacuum would soon do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Partnership, RiskRegisterEntry, Notification):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _vacuum(model):
    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def _handing_on_counted():
    """Count the Celery messages the sweep would send instead of sending them."""
    messages = []
    with mock.patch("workflows.tasks.deliver_reminders.delay", side_effect=lambda ids: messages.append(len(ids))):
        yield messages


@contextmanager
def _plain_rendering():
    """Record history quickly: fixed text instead of rendered templates (the history's content is not measured)."""
    with mock.patch.object(notifications, "render_message", return_value=("Reminder", "Reminder", "")):
        yield


def measure(today, **kwargs):
    """One sweep on ``today``: seconds, SQL queries, batches, reminders recorded, messages handed on."""
    with _handing_on_counted() as messages, CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = run_sweep(today, **kwargs)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),  # this process's own work; the rest is waiting for the database
        "database_seconds": round(sum(float(q["time"]) for q in queries.captured_queries), 2),
        "queries": len(queries.captured_queries),
        "batches": result.batches,
        "recorded": result.total,
        "handed_on": result.handed_on,
        "celery_messages": len(messages),
    }


def _forget_bench_reminders():
    Notification.objects.filter(REMINDER_EVENTS).delete()


def run(partnerships=100_000, cold=True):
    """Build the register and measure the sweep; returns the figures (``seconds`` is the daily sweep's)."""
    today = timezone.localdate()
    started = time.perf_counter()
    added = build_register(partnerships, today)
    build_seconds = time.perf_counter() - started
    in_force = Partnership.objects.in_force().count()

    figures = {"partnerships_in_force": in_force, "added": added, "build_seconds": round(build_seconds, 1)}
    _forget_bench_reminders()
    if cold:
        figures["cold"] = measure(today - _days(1))
    else:
        with _plain_rendering(), _handing_on_counted():
            run_sweep(today - _days(1))
    # The reminders are now pending (nothing was delivered): mark them sent, as workers would have,
    # and let the database tidy up overnight as autovacuum would.
    Notification.objects.filter(REMINDER_EVENTS).update(status=Notification.Status.SENT)
    _vacuum(Notification)
    figures["daily"] = measure(today)
    figures["seconds"] = figures["daily"]["seconds"]
    figures["queries"] = figures["daily"]["queries"]
    figures["batch_size"] = settings.REMINDER_BATCH_SIZE
    return figures
