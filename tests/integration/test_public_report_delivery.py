"""A problem reported with a register entry reaches each register manager once, even when the
worker is killed in the middle of sending it: the row is sent again with the same Message-ID.

A real Celery worker and beat on a private Redis, and a fake mail server that can hold a
message it has received without answering, so the worker is killed exactly mid-send
(the ``faults`` rig of tests/integration/conftest.py).
Needs PostgreSQL (DATABASE_URL): the worker reads the rows the request commits.
"""

from collections import defaultdict
from email.header import decode_header, make_header

import pytest

from portal import roles
from tests.partnerships.factories import public_entry
from workflows.models import Notification

pytestmark = pytest.mark.integration


def test_a_report_reaches_each_manager_once_though_the_worker_dies_mid_send(
    faults,
    portal_site,
    make_user,
    client,
    wait_for,
):
    managers = [make_user(roles.STAFF, roles.REGISTER_MANAGERS) for _ in range(3)]
    make_user(roles.STAFF, roles.LEAD_OFFICERS)
    entry = public_entry(name="Bewdley Town Partnership", slug="bewdley-town")

    faults.smtp.stalling = True
    response = client.post(f"/report-a-problem/{entry.slug}/", {"message": "The chair has changed"})
    assert response.status_code == 302
    # The mail server has the first message; the worker waits for its answer: kill it now.
    wait_for(lambda: faults.smtp.received(), timeout=30, message=lambda: f"a message to arrive:\n{faults.logs()}")
    faults.kill_worker()
    killed_mid_send = Notification.objects.get(status=Notification.Status.SENDING)
    faults.smtp.stalling = False
    faults.smtp.released.set()

    faults.start_worker("replacement")
    wait_for(
        lambda: set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT},
        timeout=60,
        message=lambda: f"every notification to be sent:\n{faults.logs()}",
    )

    ids_by_recipient = defaultdict(set)
    for message_id, recipient, subject in faults.smtp.received():
        ids_by_recipient[recipient].add(message_id)
        assert "Bewdley Town Partnership" in str(make_header(decode_header(subject)))
    # Each manager, and nobody else, has the report as one message (one Message-ID) ...
    assert {recipient: len(ids) for recipient, ids in ids_by_recipient.items()} == {m.email: 1 for m in managers}
    # ... though the one in flight when the worker died reached the mail server twice.
    assert faults.smtp.message_ids()[killed_mid_send.message_id] == 2
