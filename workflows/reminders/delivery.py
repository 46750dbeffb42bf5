"""Recording reminders once, handing them on to Celery, and sending a batch of them.

Sending is driven from the table, not from what a sweep created: every pending
reminder row is handed to ``deliver_reminders`` in batches, and delivery locks each
row and sends it only if it is not yet sent. Delivery is at least once, recognisably
(see workflows/notifications.py): a row is marked "sending" before its SMTP
conversation, and a worker killed after the mail server accepted a message but
before the row was marked sent sends that message again, later, with the same
Message-ID. The optional ``REMINDER_SEND_DELAY_MS`` pause comes after the commit.
"""

import logging
import time
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from workflows import notifications
from workflows.models import Notification
from workflows.reminders.rules import REMINDER_EVENTS

logger = logging.getLogger(__name__)

KEY_COLUMNS = ("event", "recipient_id", "content_type_id", "object_id", "step")


def recorded_keys(keys):
    """Which of ``keys`` (event, recipient id, content type id, object id, step) are recorded, in one query.

    The keys are joined to the table as a list of values, so each is one probe of the
    unique index (which leads with the event and recipient). Asking instead for
    "these events, these objects" cannot use that index: it would read every reminder
    ever recorded, once per batch.
    """
    if not keys:
        return set()
    quote = connection.ops.quote_name
    table = quote(Notification._meta.db_table)
    columns = [quote(name) for name in KEY_COLUMNS]
    if connection.vendor == "postgresql":
        # Five array parameters rather than 5,000 scalars: the driver binds them in no time.
        wanted = "SELECT * FROM unnest(%s::text[], %s::integer[], %s::integer[], %s::text[], %s::text[])"
        params = [list(column) for column in zip(*keys, strict=True)]
    else:
        row = "(%s, CAST(%s AS integer), CAST(%s AS integer), %s, %s)"
        wanted = f"VALUES {', '.join([row] * len(keys))}"
        params = [value for key in keys for value in key]
    join = " AND ".join(f"n.{column} = w.{column}" for column in columns)
    sql = (
        f"WITH wanted ({', '.join(columns)}) AS ({wanted}) "  # noqa: S608 - only our own table and column names
        f"SELECT {', '.join(f'n.{column}' for column in columns)} FROM {table} n JOIN wanted w ON {join}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(found) for found in cursor.fetchall()}


def record(candidates, dry_run=False):
    """Write the reminders not yet recorded; return them (what a real run creates).

    One query finds which of the batch's keys are recorded already; the people of
    the new ones are loaded in one more, and their emails rendered and inserted in one.
    """
    if not candidates:
        return []
    existing = recorded_keys({candidate.key for candidate in candidates})
    fresh = {}
    for candidate in candidates:
        if candidate.key not in existing:
            fresh.setdefault(candidate.key, candidate)
    if not fresh:
        return []
    wanted = set()
    for candidate in fresh.values():
        wanted.update(candidate.people_to_load())
    users = get_user_model().objects.in_bulk(wanted) if wanted else {}
    new = [reminder for reminder in (c.resolve(users) for c in fresh.values()) if reminder is not None]
    if dry_run or not new:
        return new
    rows = []
    for reminder in new:
        subject, text, html = notifications.render_message(
            reminder.template, {**reminder.context, "recipient": reminder.recipient, "object": reminder.obj}
        )
        rows.append(
            Notification(
                event=reminder.event,
                recipient_id=reminder.recipient.pk,
                content_type_id=reminder.content_type_id,
                object_id=str(reminder.obj.pk),
                step=reminder.step,
                subject=subject[:255],
                body_text=text,
                body_html=html,
            )
        )
    # ignore_conflicts: a sweep running at the same moment may have written some of them.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return new


def pending_reminder_ids():
    """Reminder rows due a try (pending, or left "sending" by a worker that died), by pk."""
    return notifications.deliverable().filter(REMINDER_EVENTS).order_by("pk")


def hand_on_pending(batch_size=None):
    """Give every deliverable reminder row to ``deliver_reminders``, ``batch_size`` ids a task.

    The sweep hands on what it recorded at once rather than waiting for the relay;
    without a broker this is what sends them. Rows whose hand-over fails (a broker that
    is down) stay pending, and the relay hands them on once it is back.
    """
    deliver_reminders = notifications.queued_task("deliver_reminders")
    batch_size = batch_size or settings.REMINDER_DELIVERY_BATCH_SIZE
    handed_on = 0
    last = 0
    while True:
        ids = list(pending_reminder_ids().filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return handed_on
        transaction.on_commit(partial(_hand_on, deliver_reminders, ids), robust=True)
        handed_on += len(ids)
        last = ids[-1]


def _hand_on(task, ids):
    task.delay(ids)
    Notification.objects.filter(pk__in=ids).update(handed_at=timezone.now())


def deliver_batch(notification_ids, delay_ms=None):
    """Send each reminder not yet sent; a mail failure leaves it pending, with a time to try again.

    A database error ends the batch (the task retries it); what was sent stays sent.
    Rows already sent (a second copy of the task) are skipped with one query.
    """
    delay = (settings.REMINDER_SEND_DELAY_MS if delay_ms is None else delay_ms) / 1000
    due = set(notifications.deliverable().filter(pk__in=notification_ids).values_list("pk", flat=True))
    sent = 0
    for notification_id in notification_ids:
        if notification_id not in due:
            continue
        try:
            delivered = notifications.deliver(notification_id)
        except Notification.DoesNotExist:
            continue
        except notifications.DELIVERY_ERRORS as error:
            notifications.record_failure(notification_id, error)
            continue
        if delivered:
            sent += 1
            logger.info("Sent reminder notification %s", notification_id)
            if delay:
                time.sleep(delay)
    return sent
