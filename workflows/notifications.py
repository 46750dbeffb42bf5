"""Recording and delivering notifications: a transactional outbox.

A notification is a row written in the same transaction as the change that causes
it, so a rolled-back change tells nobody. A relay (beat, every few seconds) hands
committed rows to Celery; without a broker the committing process hands them on
itself and Celery runs them in-process. The unique key makes each event tell each
person once, however often a signal or sweep runs.

Delivery is at least once, recognisably: a row is marked "sending" (committed)
before the SMTP conversation and "sent" after it, and every email carries a
Message-ID derived from the row's key. The window: a worker killed, or a database
lost, after the mail server accepted a message but before "sent" committed leaves
the row "sending"; NOTIFICATION_SENDING_TIMEOUT_SECONDS later the relay hands it on
again and the same message (same Message-ID) is sent a second time, which mail
clients and archives recognise as one. Nothing is ever lost in that window.
"""

import datetime
import logging
import time
from functools import partial
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from portal import celery_app
from workflows.models import Notification
from workflows.reminders.rules import is_reminder

logger = logging.getLogger(__name__)


def absolute_url(path):
    return settings.PORTAL_BASE_URL + path


def render_message(template, context):
    """Subject, text and HTML of ``templates/workflows/emails/<template>``."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "council_name": settings.COUNCIL_NAME, **context}
    subject = " ".join(render_to_string(f"workflows/emails/{template}_subject.txt", context).split())
    text = render_to_string(f"workflows/emails/{template}.txt", context)
    html = render_to_string(f"workflows/emails/{template}.html", context)
    return subject, text, html


def notify(*, event, recipients, obj, step, template, context):
    """Record one notification per recipient; each is sent once the transaction commits.

    Recipients without an email address or inactive are skipped; one already
    notified for the same event, object and step is not notified again.
    """

    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    created = []
    for recipient in {user.pk: user for user in recipients if user.is_active and user.email}.values():
        subject, text, html = render_message(template, {**context, "recipient": recipient, "object": obj})
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    event=event,
                    recipient=recipient,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    step=str(step),
                    subject=subject,
                    body_text=text,
                    body_html=html,
                )
        except IntegrityError:
            continue  # already recorded: this recipient has been told
        created.append(notification)
        enqueue_after_commit(notification.pk)
    return created


# What a mail server or the network may raise while one email is sent.
DELIVERY_ERRORS = (SMTPException, OSError)


def queued_task(name):
    """A task of ``workflows.tasks``, from Celery's registry (that module imports this one; the app loads it)."""
    return celery_app.tasks[f"workflows.tasks.{name}"]


def enqueue_after_commit(notification_id):
    """Hand a committed notification straight to Celery, when settings say the committer should.

    Without a broker (OUTBOX_HAND_ON_COMMIT) Celery runs the task in-process: the email
    goes on commit, as there is no queue to wait for. With a broker the row alone is
    the hand-over: the relay picks it up within seconds, and the request never waits
    on a broker that may be down or frozen.
    """
    if not settings.OUTBOX_HAND_ON_COMMIT:
        return
    # robust: a failure to send must not fail the user's request; the row stays pending.
    transaction.on_commit(partial(queued_task("send_notification").delay, notification_id), robust=True)


# --- Delivery: at least once, recognisably ----------------------------------------------------


def build_message(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={"Auto-Submitted": "auto-generated", "Message-ID": notification.message_id},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    return message


def _sending_is_stale(now=None):
    now = now or timezone.now()
    return now - datetime.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)


def claim(notification_id):
    """Mark the row "sending" and return it, or None when it is sent, failed or being sent now.

    Committed before the SMTP conversation starts, and no lock is held during it: a
    worker killed mid-conversation leaves the row "sending", and once that is stale
    the relay hands it on again and it is sent again with the same Message-ID.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        if notification.status in {Notification.Status.SENT, Notification.Status.FAILED}:
            return None
        if notification.status == Notification.Status.SENDING and notification.sending_at > _sending_is_stale():
            return None  # another worker is in the middle of it
        notification.status = Notification.Status.SENDING
        notification.sending_at = timezone.now()
        notification.attempts += 1
        notification.save(update_fields=["status", "sending_at", "attempts"])
    return notification


def mark_sent(notification_id, attempts=5, pause=0.5):
    """Record that the mail server accepted it; a database that fails is tried a few times.

    Until this commits, the email is inside the documented window: a crash or a database
    outage that outlasts these tries leaves the row "sending", and it is sent again.
    """
    for attempt in range(attempts):
        try:
            return Notification.objects.filter(pk=notification_id).update(
                status=Notification.Status.SENT, sent_at=timezone.now(), last_error="", retry_at=None
            )
        except DatabaseError:
            if attempt == attempts - 1:
                raise
            connection.close()  # a broken connection is reopened by the next query
            time.sleep(pause * 2**attempt)
    return 0


def deliver(notification_id):
    """Send one notification unless it is sent or being sent. Raises on SMTP failure."""
    notification = claim(notification_id)
    if notification is None:
        return False
    build_message(notification).send()
    mark_sent(notification_id)
    return True


def is_permanent(error):
    """A mail server's 5xx answer (no such mailbox, say): trying again will not help."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, SMTPResponseException) and error.smtp_code >= 500


def retry_delay(attempts):
    """Seconds before the next try, after ``attempts`` tries: doubling, capped so recovery is prompt."""
    base, cap = settings.NOTIFICATION_RETRY_BASE_SECONDS, settings.NOTIFICATION_RETRY_MAX_SECONDS
    return min(cap, base * 2 ** max(0, attempts - 1))


def record_failure(notification_id, error, *, final=False):
    """Back to "pending" with a time for the next try, or "failed" after the last attempt."""
    notification = Notification.objects.filter(pk=notification_id).exclude(status=Notification.Status.SENT).first()
    if notification is None:
        return None
    final = final or is_permanent(error) or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    notification.status = Notification.Status.FAILED if final else Notification.Status.PENDING
    notification.retry_at = (
        None if final else timezone.now() + datetime.timedelta(seconds=retry_delay(notification.attempts))
    )
    notification.save(update_fields=["last_error", "status", "retry_at"])
    if final:
        logger.error("Gave up sending notification %s: %s", notification_id, error)
    return notification


# --- The relay: the outbox to the task queue -----------------------------------------------------


def deliverable(now=None):
    """Rows due a (new) try: pending and past any back-off, or left "sending" by a worker that died."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(status=Notification.Status.PENDING, retry_at__isnull=True)
        | Q(status=Notification.Status.PENDING, retry_at__lte=now)
        | Q(status=Notification.Status.SENDING, sending_at__lt=_sending_is_stale(now))
    )


def relay(now=None, limit=10_000):
    """Hand every deliverable row not handed on recently to Celery; return how many were handed.

    Run by beat every few seconds (``relay_notifications``). A row is handed again
    when it is still not sent OUTBOX_REHAND_AFTER_SECONDS after its last hand-over
    (its message died with a Redis that restarted empty, or with its worker); tasks
    are idempotent, so a second copy in the queue only costs a query. A broker that
    fails stops the run: the rest stay as they are for the next one.
    """
    send_notification, deliver_reminders = queued_task("send_notification"), queued_task("deliver_reminders")
    now = now or timezone.now()
    rehand_before = now - datetime.timedelta(seconds=settings.OUTBOX_REHAND_AFTER_SECONDS)
    due = deliverable(now).filter(Q(handed_at__isnull=True) | Q(handed_at__lt=rehand_before)).order_by("pk")
    rows = list(due.values_list("pk", "event")[:limit])
    singles = [pk for pk, event in rows if not is_reminder(event)]
    reminder_ids = [pk for pk, event in rows if is_reminder(event)]
    batch_size = settings.REMINDER_DELIVERY_BATCH_SIZE
    handed = 0
    for pk in singles:
        send_notification.delay(pk)
        Notification.objects.filter(pk=pk).update(handed_at=now)
        handed += 1
    for start in range(0, len(reminder_ids), batch_size):
        ids = reminder_ids[start : start + batch_size]
        deliver_reminders.delay(ids)
        Notification.objects.filter(pk__in=ids).update(handed_at=now)
        handed += len(ids)
    if handed:
        logger.info("Outbox relay handed on %s notifications", handed)
    return handed


def retry_failed(notification_ids):
    """A register manager asks for failed notifications to be tried again (a full series of tries)."""

    ids = list(
        Notification.objects.filter(pk__in=notification_ids, status=Notification.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.PENDING, attempts=0, retry_at=None, handed_at=None
    )
    for pk in ids:
        enqueue_after_commit(pk)
    return len(ids)
