"""Who is told what at each step of the workflow: once, after commit, by Celery (in-process here)."""

import pytest
from django.core import mail
from django.db import transaction
from wagtail.models import Page, Workflow

from partnerships.models import Partnership
from portal.models import ContentPage
from portal.services import PAGE_WORKFLOW_NAME
from tests.workflows.factories import act, edit, endorsed, login, propose
from workflows import signal_handlers
from workflows.models import HeadOfServiceDeputy, Notification
from workflows.tasks import send_notification

pytestmark = pytest.mark.django_db

DOWN = "tests.workflows.failing_mail.DownEmailBackend"


def sent(start=0):
    """(recipient, subject) of each email sent since ``start``."""
    return sorted((message.to[0].split("@")[0], message.subject) for message in mail.outbox[start:])


def who(start=0):
    return sorted(message.to[0].split("@")[0] for message in mail.outbox[start:])


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    def run(call, *args, **kwargs):
        start = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = call(*args, **kwargs)
        return result, start

    return run


def test_each_step_tells_the_right_people(client, people, service_area, capture):
    login(client, people.lead)
    (_, entry), start = capture(propose, client, service_area)
    assert who(start) == ["hannah"]  # the Head of Service named on the entry
    message = mail.outbox[start]
    assert message.subject == 'For your decision: partnership proposal "Anytown Youth Partnership"'
    assert "Lee Lead has submitted" in message.body
    assert f"/admin/snippets/partnerships/partnership/inspect/{entry.pk}/" in message.body
    assert "http://" in message.alternatives[0].content  # an absolute link in the HTML part too

    login(client, people.head)
    _, start = capture(act, client, entry, "approve", comment="Good fit.")
    # Endorsed: the proposer and the Board (not the proposer twice, nor a second "submitted" to the Board).
    assert who(start) == ["bea", "ben", "bola", "lee"]
    assert {subject for _, subject in sent(start)} == {'Endorsed by the Head of Service: "Anytown Youth Partnership"'}
    assert "Good fit." in mail.outbox[start].body
    assert "Management Board approval" in mail.outbox[start].body

    login(client, people.board)
    _, start = capture(act, client, entry, "reject", comment="Add the exit costs.")
    assert who(start) == ["hannah", "lee", "rita"]  # proposer, Head of Service, register managers
    assert all("Add the exit costs." in message.body for message in mail.outbox[start:])
    assert all(message.subject == 'Changes requested: "Anytown Youth Partnership"' for message in mail.outbox[start:])
    assert f"/partnership/edit/{entry.pk}/" in mail.outbox[start].body

    login(client, people.lead)
    _, start = capture(edit, client, entry, costs_and_resources="£45,000 a year; exit costs £5,000.")
    assert who(start) == ["hannah"]  # changed after the Board asked: endorsed again before the Board sees it
    assert "For your decision" in mail.outbox[start].subject

    login(client, people.head)
    _, start = capture(act, client, entry, "approve", comment="Exit costs now covered.")
    assert who(start) == ["bea", "ben", "bola", "lee"]

    login(client, people.board)
    _, start = capture(act, client, entry, "approve", minute_reference="MB/2026/14", comment="Approved.")
    assert who(start) == ["hannah", "lee", "rita"]
    body = mail.outbox[start].body
    assert mail.outbox[start].subject == 'Approved by Management Board: "Anytown Youth Partnership"'
    assert "Minute reference: MB/2026/14" in body
    assert "Approved." in body
    assert "First progress report due" in body

    # An edit to the live entry goes to the register managers, then its approval to the proposer and the rest.
    login(client, people.lead)
    _, start = capture(edit, client, entry, purpose="Joined-up services for young people.")
    assert who(start) == ["rita"]
    assert mail.outbox[start].subject == 'For your approval: changes to "Anytown Youth Partnership" on the register'
    login(client, people.manager)
    _, start = capture(act, client, entry, "approve")
    assert who(start) == ["hannah", "lee"]  # not the register manager who approved

    # Every email sent is a recorded notification, sent once: Wagtail's own notifiers are off.
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == len(mail.outbox)


def test_a_declined_proposal_tells_the_proposer_head_and_register_managers(client, people, service_area, capture):
    entry = endorsed(client, people, service_area)
    login(client, people.board)
    _, start = capture(act, client, entry, "decline", comment="Duplicates the county's scheme.")
    assert who(start) == ["hannah", "lee", "rita"]
    assert all(
        message.subject == 'Declined by Management Board: "Anytown Youth Partnership"'
        for message in mail.outbox[start:]
    )
    assert "Duplicates the county's scheme." in mail.outbox[start].body
    assert "The decision is final" in mail.outbox[start].body


def test_withdrawing_a_proposal_tells_the_people_who_were_to_decide(client, people, service_area, capture):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    _, start = capture(edit, client, entry, action="action-cancel-workflow")
    assert who(start) == ["hannah"]
    assert mail.outbox[start].subject == 'Withdrawn: "Anytown Youth Partnership" no longer needs a decision'
    entry = Partnership.objects.get(pk=entry.pk)
    assert entry.current_workflow_state is None
    assert entry.status == "proposed"


def test_a_deputy_is_told_with_the_head_of_service(client, people, service_area, capture):
    HeadOfServiceDeputy.objects.create(head=people.head, deputy=people.deputy)
    login(client, people.lead)
    _, start = capture(propose, client, service_area)
    assert who(start) == ["dee", "hannah"]


def test_exactly_once_even_if_the_signal_or_the_task_runs_again(client, people, service_area, capture):
    login(client, people.lead)
    (_, entry), start = capture(propose, client, service_area)
    assert len(mail.outbox) == 1
    task_state = Partnership.objects.get(pk=entry.pk).current_workflow_task_state

    # The signal again: the notification is already recorded, so nothing new is sent.
    capture(signal_handlers.task_submitted, sender=type(task_state), instance=task_state, user=people.lead)
    # The task again (a retry, a duplicated message): the row is sent, so it is not sent twice.
    for notification in Notification.objects.all():
        send_notification.apply(args=[notification.pk])
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_nothing_is_sent_when_the_decision_rolls_back(client, people, service_area, capture):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    entry = Partnership.objects.get(pk=entry.pk)
    task, task_state = entry.current_workflow_task, entry.current_workflow_task_state
    before = Notification.objects.count()
    outbox = len(mail.outbox)

    def endorse_then_fail():
        with transaction.atomic():
            task.on_action(task_state, people.head, "approve")
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        capture(endorse_then_fail)
    assert Notification.objects.count() == before
    assert len(mail.outbox) == outbox
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def test_smtp_failures_show_to_register_managers_who_send_again(client, people, service_area, capture, settings):
    settings.EMAIL_BACKEND = DOWN
    login(client, people.lead)
    capture(propose, client, service_area)
    failed = Notification.objects.get()
    assert failed.status == Notification.Status.FAILED
    assert mail.outbox == []

    login(client, people.board)
    dashboard = client.get("/admin/")
    assert b"data-failed-notifications" not in dashboard.content
    assert client.get("/admin/workflows/emails-not-sent/").status_code != 200

    login(client, people.manager)
    dashboard = client.get("/admin/")
    assert b'data-failed-notifications="1"' in dashboard.content
    page = client.get("/admin/workflows/emails-not-sent/")
    assert page.status_code == 200
    assert b"hannah@council.example" in page.content
    assert b"SMTPServerDisconnected" in page.content

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response, _ = capture(client.post, "/admin/workflows/emails-not-sent/", {"notification": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert who() == ["hannah"]


def test_page_moderation_emails_also_go_through_celery(people, make_user, capture):
    from portal import roles

    editor = make_user(roles.STAFF, roles.EDITORS, first_name="Eddie", email="eddie@council.example")
    moderator = make_user(roles.STAFF, roles.MODERATORS, first_name="Mo", email="mo@council.example")
    page = ContentPage.objects.live().first() or Page.objects.live().filter(depth__gt=2).first().specific
    workflow = Workflow.objects.get(name=PAGE_WORKFLOW_NAME)
    page.save_revision(user=editor)
    _, start = capture(workflow.start, page, editor)
    assert moderator.email in [message.to[0] for message in mail.outbox[start:]]
    assert all(message.to[0] != editor.email for message in mail.outbox[start:])
    assert Notification.objects.filter(recipient=moderator, event="submitted").count() == 1
