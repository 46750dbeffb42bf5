"""Only the named Head of Service (or their deputy) endorses; only Management Board approves; nobody their own."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import TaskState, WorkflowState

from partnerships.models import Partnership, Status
from portal import roles
from tests.workflows.factories import act, complete_proposal, edit, form_data, login, propose, url
from workflows.models import BoardApprovalTask, HeadOfServiceDeputy, HeadOfServiceTask

pytestmark = pytest.mark.django_db

OFFERED = b'data-workflow-action-name="approve"'


def offered(client, entry):
    """Whether the edit view offers the user the step's approve action (403 or a locked form: no)."""
    response = client.get(url("edit", entry.pk))
    return response.status_code == 200 and OFFERED in response.content


def refused(client, entry, action="approve", **data):
    before = Partnership.objects.get(pk=entry.pk).current_workflow_task_state
    response = client.post(url("workflow_action", entry.pk, action, before.pk), data)
    after = TaskState.objects.get(pk=before.pk)
    # 403 from the admin; users without admin access are sent to sign in first.
    expected = 403 if user_has_admin(response) else 302
    return response.status_code == expected and after.status == TaskState.STATUS_IN_PROGRESS


def user_has_admin(response):
    return response.wsgi_request.user.has_perm("wagtailadmin.access_admin")


@pytest.fixture
def submitted(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    return entry


@pytest.fixture
def at_board(client, people, submitted):
    login(client, people.head)
    act(client, submitted, "approve")
    assert isinstance(submitted.current_workflow_task, BoardApprovalTask)
    return submitted


@pytest.mark.parametrize("who", ["other_head", "staff", "lead", "board", "manager"])
def test_only_the_named_head_of_service_endorses(client, people, submitted, who):
    login(client, getattr(people, who))
    assert not offered(client, submitted)
    assert refused(client, submitted)
    assert refused(client, submitted, "reject", comment="No.")

    login(client, people.head)
    assert offered(client, submitted)


def test_a_deputy_the_head_names_endorses(client, people, submitted):
    login(client, people.head)
    response = client.post("/admin/workflows/deputy/", {"deputy": people.deputy.pk})
    assert response.status_code == 302
    assert HeadOfServiceDeputy.objects.get(head=people.head).deputy == people.deputy

    login(client, people.deputy)
    assert offered(client, submitted)
    assert act(client, submitted, "approve").status_code == 302
    assert isinstance(submitted.current_workflow_task, BoardApprovalTask)


def test_staff_cannot_name_a_deputy(client, people):
    login(client, people.staff)
    response = client.get("/admin/workflows/deputy/")
    assert response.status_code != 200


@pytest.mark.parametrize("who", ["other_head", "staff", "lead", "head", "manager"])
def test_only_management_board_decides(client, people, at_board, who):
    login(client, getattr(people, who))
    assert not offered(client, at_board)
    for action in ("approve", "reject", "decline"):
        assert refused(client, at_board, action, comment="Forged.")

    login(client, people.board)
    assert offered(client, at_board)


def test_a_board_member_never_decides_on_their_own_proposal(client, people, service_area):
    login(client, people.board_lead)
    _, entry = propose(client, service_area, name="Board member's own idea")
    login(client, people.head)
    act(client, entry, "approve")
    assert isinstance(entry.current_workflow_task, BoardApprovalTask)

    login(client, people.board_lead)
    assert not offered(client, entry)
    for action in ("approve", "reject", "decline"):
        assert refused(client, entry, action, comment="Mine.")
    # Nor through the edit view's own route for workflow actions.
    client.post(
        url("edit", entry.pk),
        {"action-workflow-action": "action-workflow-action", "workflow-action-name": "approve"},
    )
    assert Partnership.objects.get(pk=entry.pk).current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert Partnership.objects.get(pk=entry.pk).status == Status.AWAITING_APPROVAL

    login(client, people.board)
    assert offered(client, entry)


def test_a_head_of_service_never_endorses_their_own_proposal(client, people, service_area):
    # The Head of Service of the area leads this proposal: the form asks for another Head, even with a deputy.
    people.head.groups.add(Group.objects.get(name=roles.LEAD_OFFICERS))
    HeadOfServiceDeputy.objects.create(head=people.head, deputy=people.deputy)
    login(client, people.head)
    data = form_data(client.get(url("add")))
    data.update(complete_proposal(service_area, name="Head's own idea"), **{"action-submit": "action-submit"})
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert "Hannah Head is the lead officer" in " ".join(response.context["form"].errors["head_of_service"])
    assert not Partnership.objects.filter(name="Head's own idea").exists()

    _, entry = propose(client, service_area, name="Head's own idea", head_of_service=people.other_head.pk)
    assert isinstance(entry.current_workflow_task, HeadOfServiceTask)
    assert not offered(client, entry)
    assert refused(client, entry)

    login(client, people.other_head)
    assert offered(client, entry)


def test_an_incomplete_proposal_is_refused_with_the_list_and_nothing_is_submitted(client, people, service_area):
    login(client, people.lead)
    checklist_3c = "How are decisions recorded?"
    missing_overrides = {
        "equality_impact": "",
        "risks-TOTAL_FORMS": "0",
        "objectives": "",
    }
    response, entry = propose(client, service_area, **missing_overrides)
    assert not WorkflowState.objects.exists()
    assert response.url == url("edit", entry.pk)
    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED  # saved as a draft, not submitted

    page = client.get(response.url)
    messages = " ".join(str(message) for message in page.context["messages"])
    assert "has not been submitted" in messages
    assert "Give the equality impact answer" in messages
    assert "Add at least one risk to the risk register" in messages
    assert "Business case: set out the objectives" in messages
    assert checklist_3c not in messages  # answered

    # The list is on the form as the proposer goes on, and goes once the gaps are filled.
    assert b"Give the equality impact answer" in page.content
    response = edit(
        client,
        entry,
        equality_impact="done",
        objectives="Fewer young people out of work.",
        **{
            "risks-TOTAL_FORMS": "1",
            "risks-0-kind": "risk",
            "risks-0-description": "Funding ends.",
            "risks-0-likelihood": "2",
            "risks-0-impact": "4",
            "risks-0-id": "",
        },
    )
    assert response.status_code == 302
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_IN_PROGRESS


def test_a_screening_answer_that_stops_refuses_the_proposal_with_the_route_to_take(client, people, service_area):
    from portal.models import QuestionSet

    contract = QuestionSet.objects.get(kind="decision_tree").questions.get(code="D5")
    login(client, people.lead)
    response, entry = propose(client, service_area, **{f"screening-{contract.pk}": "yes"})
    assert not WorkflowState.objects.exists()
    page = client.get(response.url)
    messages = " ".join(str(message) for message in page.context["messages"])
    assert "Screening stops this proposal" in messages
    assert "Is it a contract for the delivery of a service?" in messages
    assert "procurement and contract procedure rules" in messages
    # Shown beside the question too.
    assert b"This answer stops the proposal." in page.content


def test_a_proposal_is_not_published_except_by_the_board(client, people, service_area):
    login(client, people.manager)
    response, entry = propose(
        client, service_area, action="action-publish", name="Straight to the register?", lead_officer=people.lead.pk
    )
    entry.refresh_from_db()
    assert not entry.live
    assert entry.status == Status.PROPOSED
    page = client.get(response.url)
    assert "only when Management Board approves it" in " ".join(str(m) for m in page.context["messages"])


def test_the_proposer_cannot_edit_while_it_awaits_a_decision(client, people, submitted):
    login(client, people.lead)
    response = edit(client, submitted, action=None, purpose="Sneaky change.")
    assert response.status_code == 200  # the form comes back, locked
    assert Partnership.objects.get(pk=submitted.pk).get_latest_revision_as_object().purpose != "Sneaky change."
