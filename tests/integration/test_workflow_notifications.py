"""A real Celery worker on the local Redis delivers the workflow's emails, once, from the shared database.

The test process records the notifications as the admin views run and hands them to
Redis after commit; the worker (tests/integration/conftest.py) sends them and marks
them sent. Only SMTP is stood in for: the worker runs the test settings' in-memory
mail backend, so what it sent shows as ``Notification.status`` in the database.
"""

import pytest
from django.core import mail

from partnerships.models import Partnership, ServiceArea
from portal import roles
from tests.workflows.factories import act, login, propose
from workflows.models import Notification

pytestmark = pytest.mark.integration


def status_of(recipient, event):
    notification = Notification.objects.filter(recipient=recipient, event=event).first()
    return notification.status if notification else None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_boards_email(celery_worker_process, wait_for, portal_site, make_user, client):
    celery_worker_process.require_shared_database()
    lead = make_user(roles.STAFF, roles.LEAD_OFFICERS, first_name="Lee", email="lee@council.example")
    head = make_user(roles.STAFF, roles.HEADS_OF_SERVICE, first_name="Hannah", email="hannah@council.example")
    board = make_user(roles.STAFF, roles.MANAGEMENT_BOARD, first_name="Bola", email="bola@council.example")
    service_area = ServiceArea.objects.create(name="Integration services", head_of_service=head)

    login(client, lead)
    _, entry = propose(client, service_area, name="Worker-delivered partnership")
    login(client, head)
    act(client, entry, "approve", comment="Endorsed for the Board.")

    log = celery_worker_process.log_tail
    wait_for(
        lambda: status_of(board, "endorsed") == Notification.Status.SENT,
        timeout=20,
        message=lambda: f"the worker to send the Board's email; its log:\n{log()}",
    )
    wait_for(lambda: status_of(head, "submitted") == Notification.Status.SENT, timeout=20, message=log)
    notification = Notification.objects.get(recipient=board, event="endorsed")
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.object_id == str(Partnership.objects.get(pk=entry.pk).pk)
    assert "Endorsed by the Head of Service" in notification.subject
    # The worker sent it, not this process; and it ran in the worker.
    assert mail.outbox == []
    wait_for(
        lambda: (
            "workflows.tasks.send_notification" in celery_worker_process.log()
            and "succeeded" in celery_worker_process.log()
        ),
        timeout=5,
        message="the worker to log the task",
    )
