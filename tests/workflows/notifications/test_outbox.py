"""The outbox: requests write rows only, the relay hands them on, a repeat is the same message."""

import datetime
from smtplib import SMTPDataError, SMTPRecipientsRefused
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tests.workflows.factories import notify_approved
from workflows import notifications
from workflows.models import Notification
from workflows.tasks import send_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(make_user):
    return make_user(first_name="Bola", last_name="Board", email="bola@council.example")


def message_ids():
    return [message.message()["Message-ID"] for message in mail.outbox]


def test_with_a_broker_a_request_writes_the_row_and_the_relay_sends_it(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_HAND_ON_COMMIT = False  # as with REDIS_URL: requests never publish
    with (
        mock.patch.object(send_notification, "delay", wraps=send_notification.delay) as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        (notification,) = notify_approved(recipient)
        assert callbacks == []  # nothing waits on commit to reach a broker
        assert delay.call_count == 0
        assert mail.outbox == []

        assert notifications.relay() == 1  # beat's relay hands it on (Celery runs it in-process here)
        assert delay.call_count == 1
        assert notifications.relay() == 0  # sent: nothing left to hand on

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.handed_at is not None
    assert message_ids() == [notification.message_id]


def test_the_message_id_comes_from_the_outbox_key(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (first,) = notify_approved(recipient, step="1")
        (second,) = notify_approved(recipient, step="2")
    assert message_ids() == [first.message_id, second.message_id]
    assert first.message_id.startswith(f"<notification-{first.pk}-")
    assert first.message_id.endswith("@council.example>")
    assert first.message_id != second.message_id
    assert Notification.objects.get(pk=first.pk).message_id == first.message_id  # stable when read again


def test_a_worker_that_died_mid_conversation_sends_the_same_message_again(recipient, settings):
    settings.OUTBOX_HAND_ON_COMMIT = False
    (notification,) = notify_approved(recipient)
    # The mail server accepts the message; the worker dies before the row is marked sent.
    with mock.patch.object(notifications, "mark_sent", side_effect=SystemExit("killed")), pytest.raises(SystemExit):
        notifications.deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENDING
    assert len(mail.outbox) == 1

    # Another copy of the task meanwhile finds it being sent, and leaves it.
    assert notifications.deliver(notification.pk) is False
    assert notifications.relay() == 0

    later = timezone.now() + datetime.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert notifications.relay() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert message_ids() == [notification.message_id, notification.message_id]  # a repeat, recognisably


def test_a_refusing_mail_server_is_tried_again_within_a_minute_then_given_up(recipient, settings):
    settings.OUTBOX_HAND_ON_COMMIT = False
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    (notification,) = notify_approved(recipient)
    refused = SMTPDataError(451, b"4.3.0 Try again later")
    delays = []
    for _ in range(4):
        notifications.claim(notification.pk)
        row = notifications.record_failure(notification.pk, refused)
        if row.status == Notification.Status.PENDING:
            delays.append((row.retry_at - timezone.now()).total_seconds())
    assert row.status == Notification.Status.FAILED
    assert row.attempts == 4
    assert "451" in row.last_error
    assert [round(delay) for delay in delays] == [10, 20, 40]
    assert notifications.retry_delay(10) == settings.NOTIFICATION_RETRY_MAX_SECONDS < 60


def test_a_permanent_refusal_fails_at_once(recipient, settings):
    settings.OUTBOX_HAND_ON_COMMIT = False
    (notification,) = notify_approved(recipient)
    notifications.claim(notification.pk)
    refused = SMTPRecipientsRefused({"bola@council.example": (550, b"5.1.1 No such mailbox")})
    row = notifications.record_failure(notification.pk, refused)
    assert row.status == Notification.Status.FAILED


def test_a_row_in_back_off_waits_for_its_time(recipient, settings):
    settings.OUTBOX_HAND_ON_COMMIT = False
    (notification,) = notify_approved(recipient)
    notifications.claim(notification.pk)
    notifications.record_failure(notification.pk, SMTPDataError(451, b"busy"))
    assert notifications.relay() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=11), tick=False):
        assert notifications.relay() == 1
    assert Notification.objects.get(pk=notification.pk).status == Notification.Status.SENT
