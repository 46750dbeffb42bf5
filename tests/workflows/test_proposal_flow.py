"""A proposal from the admin's add form to the public register, through the admin's own views.

Propose → submit → Head of Service endorses → Management Board approves; and the
other ways it can go: changes requested and resubmitted, declined (final), and a
later edit to the live entry moderated by a register manager.
"""

import datetime

import pytest
import time_machine
from django.urls import NoReverseMatch
from wagtail.models import TaskState, WorkflowState

from partnerships.models import Partnership, Status
from tests.workflows.factories import act, edit, endorsed, login, propose, url
from workflows.models import BoardApprovalTask, DecisionTaskState, HeadOfServiceTask
from workflows.setup import BOARD_TASK, ENDORSEMENT_TASK

pytestmark = pytest.mark.django_db

APPROVAL_DAY = datetime.datetime(2026, 3, 16, 10, 30, tzinfo=datetime.UTC)


def current_task(entry):
    return Partnership.objects.get(pk=entry.pk).current_workflow_task


def test_the_proposal_form_shows_each_question_beside_its_answer(client, people, service_area):
    from portal.models import QuestionSet

    login(client, people.lead)
    page = client.get(url("add")).content.decode()
    for kind in (QuestionSet.Kind.DECISION_TREE, QuestionSet.Kind.CHECKLIST):
        for question in QuestionSet.objects.get(kind=kind).questions.all():
            field = "screening" if kind == QuestionSet.Kind.DECISION_TREE else "checklist"
            assert page.count(f'name="{field}-{question.pk}"') == (2 if field == "screening" else 1)
            assert f"<strong>{question.code}</strong> {question.text}" in page.replace("&#x27;", "'")
    assert "Before you submit" in page
    assert "Answer checklist question 3c: How are decisions recorded?" in page


def test_the_whole_way_to_the_public_register(client, people, service_area):
    login(client, people.lead)
    response, entry = propose(client, service_area)
    assert response.url == url("list")
    assert not entry.live
    assert entry.status == Status.AWAITING_APPROVAL
    assert entry.head_of_service == people.head  # from the service area
    assert entry.checklist_answers.count() == 30
    workflow_state = WorkflowState.objects.get()
    assert workflow_state.requested_by == people.lead
    assert isinstance(current_task(entry), HeadOfServiceTask)
    assert current_task(entry).name == ENDORSEMENT_TASK

    login(client, people.head)
    edit_view = client.get(url("edit", entry.pk))
    assert edit_view.status_code == 200
    assert b'data-workflow-action-name="approve"' in edit_view.content
    response = act(client, entry, "approve", comment="Fits our youth strategy.")
    assert response.status_code == 302
    assert isinstance(current_task(entry), BoardApprovalTask)
    assert current_task(entry).name == BOARD_TASK

    login(client, people.board)
    with time_machine.travel(APPROVAL_DAY, tick=False):
        response = act(client, entry, "approve", minute_reference="MB/2026/14", comment="Agreed for two years.")
    assert response.status_code == 302

    entry.refresh_from_db()
    assert entry.live
    assert entry.status == Status.ACTIVE
    assert entry.approval_date == datetime.date(2026, 3, 16)
    assert entry.next_progress_report_due == datetime.date(2026, 9, 16)
    assert entry.next_review_due == datetime.date(2027, 3, 16)
    assert entry.checklist_answers.count() == 30  # the published version keeps the answers
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    decision = DecisionTaskState.objects.get(task__name=BOARD_TASK)
    assert (decision.minute_reference, decision.comment, decision.finished_by) == (
        "MB/2026/14",
        "Agreed for two years.",
        people.board,
    )
    assert Partnership.objects.public().filter(pk=entry.pk).exists()
    client.logout()
    try:
        page = client.get(f"/partnerships/{entry.slug}/")
    except NoReverseMatch:  # pragma: no cover - the public register is built alongside
        page = None
    if page is not None and page.status_code != 404:
        assert page.status_code == 200
        assert entry.name in page.content.decode()


def test_changes_requested_go_back_to_the_proposer_who_resubmits(client, people, service_area):
    entry = endorsed(client, people, service_area)
    login(client, people.board)
    response = act(client, entry, "reject", comment="Say how the council leaves if funding ends.")
    assert response.status_code == 302

    entry.refresh_from_db()
    workflow_state = WorkflowState.objects.get()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert entry.status == Status.PROPOSED
    assert not entry.live
    rejected = TaskState.objects.get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment == "Say how the council leaves if funding ends."

    login(client, people.lead)
    page = client.get(url("edit", entry.pk))
    assert "Submit to Hannah Head for endorsement" in page.content.decode()
    response = edit(client, entry, exit_strategy="Six months' notice; funding returns to the youth budget.")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.AWAITING_APPROVAL
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_IN_PROGRESS
    # Changed after the Board asked for changes: endorsed again before the Board sees it.
    assert isinstance(current_task(entry), HeadOfServiceTask)
    login(client, people.head)
    act(client, entry, "approve")
    assert isinstance(current_task(entry), BoardApprovalTask)

    login(client, people.board2)
    act(client, entry, "approve")
    entry.refresh_from_db()
    assert entry.live and entry.status == Status.ACTIVE
    assert entry.exit_strategy.startswith("Six months")


def test_decline_is_final(client, people, service_area):
    entry = endorsed(client, people, service_area)
    login(client, people.board)
    response = act(client, entry, "decline", comment="The council already funds this work elsewhere.")
    assert response.status_code == 302

    entry.refresh_from_db()
    assert entry.status == Status.REJECTED
    assert not entry.live
    assert Partnership.objects.filter(pk=entry.pk).exists()  # kept on record
    assert not Partnership.objects.public().filter(pk=entry.pk).exists()
    workflow_state = WorkflowState.objects.get()
    assert workflow_state.status == WorkflowState.STATUS_CANCELLED
    declined = DecisionTaskState.objects.get(declined=True)
    assert declined.comment == "The council already funds this work elsewhere."
    assert declined.finished_by == people.board

    # No further submission: the action is not offered, and a forged one starts nothing.
    login(client, people.lead)
    page = client.get(url("edit", entry.pk))
    assert page.status_code == 403
    response = client.post(url("edit", entry.pk), {"action-submit": "action-submit"})
    assert response.status_code == 403
    assert WorkflowState.objects.count() == 1
    assert Partnership.objects.get(pk=entry.pk).get_workflow() is None
    # A register manager may open it, but it has no workflow to submit to.
    login(client, people.manager)
    page = client.get(url("edit", entry.pk))
    assert page.status_code == 200
    assert b'name="action-submit"' not in page.content


def approved_entry(client, people, service_area):
    entry = endorsed(client, people, service_area)
    login(client, people.board)
    act(client, entry, "approve", minute_reference="MB/1")
    entry.refresh_from_db()
    assert entry.live
    return entry


def test_an_edit_to_a_live_entry_waits_for_a_register_manager(client, people, service_area):
    entry = approved_entry(client, people, service_area)
    assert entry.get_workflow().name == "Register moderation"

    login(client, people.lead)
    response = edit(client, entry, purpose="A new purpose, not yet approved.")
    assert response.status_code == 302
    entry.refresh_from_db()
    state = entry.current_workflow_state
    assert state.workflow.name == "Register moderation"
    # The public register still shows the published version.
    public = Partnership.objects.public().get(pk=entry.pk)
    assert public.purpose == "To join up services for young people in the district."
    assert public.status == Status.ACTIVE

    login(client, people.board)
    assert act(client, entry, "approve").status_code == 403  # not a register manager

    login(client, people.manager)
    assert act(client, entry, "approve", comment="Fine.").status_code == 302
    public = Partnership.objects.public().get(pk=entry.pk)
    assert public.purpose == "A new purpose, not yet approved."
    assert public.status == Status.ACTIVE
    assert public.approval_date == entry.approval_date


def test_an_existing_partnership_a_register_manager_records_waits_for_its_back_fill(client, people, service_area):
    """Register moderation is for changes to approved entries: a new "active" entry needs its back-fill first."""
    login(client, people.manager)
    _, entry = propose(
        client,
        service_area,
        name="Community Safety Partnership",
        status="active",
        lead_officer=people.lead.pk,
        **{"risks-TOTAL_FORMS": "0"},
    )
    assert not WorkflowState.objects.exists()
    entry = Partnership.objects.get(pk=entry.pk)
    assert (entry.status, entry.live) == (Status.ACTIVE, False)


def test_the_board_can_also_decide_from_the_editors_action_menu(client, people, service_area):
    """Wagtail's own route: the edit form posted with the action and the modal's data as JSON."""
    import json

    entry = endorsed(client, people, service_area)

    login(client, people.board)
    page = client.get(url("edit", entry.pk)).content.decode()
    assert "Approve and Publish" in page
    extra = json.dumps({"comment": "From the editor.", "minute_reference": "MB/9"})
    response = edit(
        client,
        entry,
        action="action-workflow-action",
        **{"workflow-action-name": "approve", "workflow-action-extra-data": extra},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live and entry.status == Status.ACTIVE
    decision = DecisionTaskState.objects.get(task__name=BOARD_TASK)
    assert (decision.minute_reference, decision.comment) == ("MB/9", "From the editor.")
