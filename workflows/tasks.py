"""Celery tasks of the workflows app: thin wrappers around the services.

Delivery tasks retry through the outbox, not through Celery: a failed email goes
back to "pending" with a time for its next try, and the relay hands it on when that
comes. (A Celery retry with a long countdown would sit unacknowledged in a worker's
memory, and Redis redelivers those after the visibility timeout.)
"""

import datetime

from celery import shared_task
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from workflows import notifications
from workflows.reminders.delivery import deliver_batch
from workflows.reminders.sweep import run_sweep

# Mail servers fail in these ways; anything else is a bug and should not be retried.
DELIVERY_ERRORS = notifications.DELIVERY_ERRORS
# What a task retries by itself, soon: a database or broker that is briefly away.
OUTAGE_ERRORS = (DatabaseError, BrokerError)
# Acknowledged only when done (a worker killed mid-task leaves it to be redelivered), and
# retried through an outage at 2 s, 4 s, 8 s … 30 s apart.
RETRIED_THROUGH_OUTAGES = {
    "acks_late": True,
    "autoretry_for": OUTAGE_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 30,
    "max_retries": 8,
}


@shared_task(bind=True, **RETRIED_THROUGH_OUTAGES)
def send_notification(self, notification_id):
    try:
        return notifications.deliver(notification_id)
    except notifications.Notification.DoesNotExist:
        return False
    except DELIVERY_ERRORS as error:
        # In-process (no broker) there is no relay to try again later: give up at once
        # so register managers see it and can send it again.
        notifications.record_failure(notification_id, error, final=self.request.is_eager)
        return False


# A relay that waited this long in the queue is dropped: a newer one is behind it.
@shared_task(acks_late=False, expires=10)
def relay_notifications():
    """The outbox relay (beat, every few seconds): pending rows to the task queue."""
    return notifications.relay()


# --- Review-due reminders (workflows/reminders/) ---


@shared_task(bind=True, **RETRIED_THROUGH_OUTAGES)
def send_review_reminders(self, date=None):
    """The daily sweep (beat, 07:00 Europe/London). Safe to run again, or to retry half-way."""
    today = datetime.date.fromisoformat(date) if date else None
    return run_sweep(today).as_dict()


@shared_task(**RETRIED_THROUGH_OUTAGES)
def deliver_reminders(notification_ids):
    """Send a batch of recorded reminders; what a crash leaves unsent the relay hands on again."""
    return deliver_batch(notification_ids)
