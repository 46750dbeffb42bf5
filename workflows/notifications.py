"""Recording and delivering notifications.

A notification is written in the same transaction as the change that causes it
and handed to Celery only after that transaction commits, so a rolled-back change
tells nobody. Delivery locks the row, so a duplicated or retried task sends once.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from workflows.models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def render_message(template, context):
    """Subject, text and HTML of ``templates/workflows/emails/<template>``."""
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "council_name": settings.COUNCIL_NAME, **context}
    subject = " ".join(render_to_string(f"workflows/emails/{template}_subject.txt", context).split())
    text = render_to_string(f"workflows/emails/{template}.txt", context)
    html = render_to_string(f"workflows/emails/{template}.html", context)
    return subject, text, html


def notify(*, event, recipients, obj, step, template, context):
    """Record one notification per recipient and send each after commit.

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


def enqueue_after_commit(notification_id):
    from workflows.tasks import send_notification

    def enqueue():
        send_notification.delay(notification_id)

    # robust: a broker that is down must not fail the user's request; the
    # pending row is picked up again by resend_pending().
    transaction.on_commit(enqueue, robust=True)


def deliver(notification_id):
    """Send one notification unless it has been sent. Raises on SMTP failure."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        if notification.status == Notification.Status.SENT:
            return False
        message = EmailMultiAlternatives(
            subject=notification.subject,
            body=notification.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        if notification.body_html:
            message.attach_alternative(notification.body_html, "text/html")
        message.send()
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.last_error = ""
        notification.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return True


def record_failure(notification_id, error, *, final):
    Notification.objects.filter(pk=notification_id).exclude(status=Notification.Status.SENT).update(
        attempts=F("attempts") + 1,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        status=Notification.Status.FAILED if final else Notification.Status.PENDING,
    )
    if final:
        logger.error("Gave up sending notification %s: %s", notification_id, error)


def resend_pending(older_than_minutes=15):
    """Hand again to Celery the notifications whose first hand-over was lost."""
    from workflows.tasks import send_notification

    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    pending = list(
        Notification.objects.filter(status=Notification.Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in pending:
        send_notification.delay(pk)
    return len(pending)


def retry_failed(notification_ids):
    """A register manager asks for failed notifications to be tried again."""

    ids = list(
        Notification.objects.filter(pk__in=notification_ids, status=Notification.Status.FAILED).values_list(
            "pk", flat=True
        )
    )
    Notification.objects.filter(pk__in=ids).update(status=Notification.Status.PENDING)
    for pk in ids:
        enqueue_after_commit(pk)
    return len(ids)
