"""Celery tasks of the workflows app: thin wrappers around the services."""

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from workflows import notifications, reminders

# Mail servers fail in these ways; anything else is a bug and should not be retried.
DELIVERY_ERRORS = (SMTPException, OSError)


@shared_task(bind=True, max_retries=6, acks_late=True)
def send_notification(self, notification_id):
    try:
        return notifications.deliver(notification_id)
    except DELIVERY_ERRORS as error:
        # In-process (no broker) there is nothing to retry later: give up at once
        # so register managers see it and can send it again.
        final = self.request.is_eager or self.request.retries >= self.max_retries
        notifications.record_failure(notification_id, error, final=final)
        if final:
            return False
        # Back off 1, 2, 4 … 32 minutes: an SMTP outage is usually over within the hour.
        countdown = settings.NOTIFICATION_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def resend_pending_notifications():
    return notifications.resend_pending()


# --- Review-due reminders (workflows/reminders.py) ---


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    retry_backoff_max=30 * 60,
    max_retries=5,
)
def send_review_reminders(self, date=None):
    """The daily sweep (beat, 07:00 Europe/London). Safe to run again, or to retry half-way."""
    today = datetime.date.fromisoformat(date) if date else None
    return reminders.run_sweep(today).as_dict()


@shared_task(acks_late=True)
def deliver_reminders(notification_ids):
    """Send a batch of recorded reminders; each row is sent once however often this runs."""
    return reminders.deliver_batch(notification_ids)
