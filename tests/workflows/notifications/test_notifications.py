import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction

from tests.workflows.factories import notify_approved
from workflows import notifications
from workflows.models import Notification
from workflows.tasks import send_notification

pytestmark = pytest.mark.django_db

DOWN = "tests.workflows.failing_mail.DownEmailBackend"


@pytest.fixture
def recipient(make_user):
    return make_user(first_name="Bola", last_name="Board", email="bola@council.example")


def test_sent_after_commit_once_even_if_the_task_runs_twice(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_approved(recipient)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bola@council.example"]
    assert mail.outbox[0].subject == "Partnership approved"
    assert "Dear Bola Board" in mail.outbox[0].body
    assert "It is live." in mail.outbox[0].alternatives[0].content

    send_notification.apply(args=[notification.pk])
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_the_same_event_is_recorded_once(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_approved(recipient)
        assert notify_approved(recipient) == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_later_step_is_a_new_notification(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_approved(recipient, step="1")
        notify_approved(recipient, step="2")
    assert len(mail.outbox) == 2


def test_nothing_is_sent_when_the_transaction_rolls_back(recipient, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_approved(recipient)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_users_without_email_or_inactive_are_skipped(make_user, recipient, django_capture_on_commit_callbacks):
    no_email = make_user(email="")
    inactive = make_user(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            event="approved",
            recipients=[no_email, inactive, recipient],
            obj=recipient,
            step="1",
            template="generic",
            context={"headline": "Hello", "paragraphs": []},
        )
    assert [message.to for message in mail.outbox] == [["bola@council.example"]]


def test_smtp_failure_in_process_shows_as_failed_and_can_be_retried(
    recipient, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify_approved(recipient)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.retry_failed([notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_recipient_model_is_the_user(recipient):
    assert get_user_model() is type(recipient)
