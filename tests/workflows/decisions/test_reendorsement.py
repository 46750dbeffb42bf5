"""A proposal the Board returns for changes is endorsed again; deciders are told what they did and who heard.

The story of seeds 001 2.7 and 004 8.1 with a change in the middle: the Board asks for
changes, the lead raises the contribution from £12,000 to £999,999 and resubmits, and it
goes back to the Head of Service, who sees what changed, before the Board may decide.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from partnerships.models import Partnership, Status
from portal import roles
from tests.workflows.factories import act, edit, endorsed, login, propose, url
from workflows.models import BoardApprovalTask, HeadOfServiceTask

pytestmark = pytest.mark.django_db


def said(response):
    """The messages the request that made ``response`` left for the user (not those still unread from before)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)._queued_messages]


def step(entry):
    return Partnership.objects.get(pk=entry.pk).current_workflow_task_state.task.specific


@pytest.fixture
def returned(client, people, service_area, django_capture_on_commit_callbacks):
    """Endorsed by the Head of Service, then returned by the Board with a request for changes."""
    login(client, people.lead)
    _, entry = propose(client, service_area, annual_contribution="12000.00")
    login(client, people.head)
    act(client, entry, "approve", comment="Fits our youth strategy.")
    login(client, people.board)
    response = act(client, entry, "reject", comment="Say what the council's £12,000 buys.")
    assert response.status_code == 302
    return entry, response


def test_the_resubmitted_proposal_starts_again_at_the_head_of_service(
    client, people, returned, django_capture_on_commit_callbacks
):
    entry, _ = returned
    assert Partnership.objects.get(pk=entry.pk).status == Status.PROPOSED

    # The lead's form says what the Board asked and where the proposal goes next.
    login(client, people.lead)
    page = client.get(url("edit", entry.pk)).content.decode().replace("&#x27;", "'")
    request = page[page.index("data-change-request") :][:1500]
    assert "Bola Board asked for changes at “Management Board approval”" in request
    assert "Say what the council's £12,000 buys." in request
    assert "Submit to Hannah Head for endorsement" in request  # the help text
    assert re.search(
        r'name="action-submit"[^>]*>\s*(<svg.*?</svg>)?\s*Submit to Hannah Head for endorsement', page, re.S
    )

    start = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, entry, annual_contribution="999999.00")
    assert response.status_code == 302
    assert "Hannah Head is asked to endorse it" in " ".join(said(response))

    # One workflow, resumed at its first step: the history keeps both rounds.
    workflow_state = WorkflowState.objects.get()
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert isinstance(step(entry), HeadOfServiceTask)
    assert [state.task.specific.__class__ for state in workflow_state.task_states.order_by("started_at", "pk")] == [
        HeadOfServiceTask,
        BoardApprovalTask,
        HeadOfServiceTask,
    ]
    resumed = ModelLogEntry.objects.filter(object_id=str(entry.pk), action="wagtail.workflow.resume").get()
    assert resumed.data["workflow"]["task"]["title"] == "Head of Service endorsement"
    assert resumed.user == people.lead

    # The Head of Service is asked again, with what the Board said and a link to what changed.
    (message,) = [m for m in mail.outbox[start:] if m.to == ["hannah@council.example"]]
    assert "Say what the council's £12,000 buys." in message.body
    assert "See what has changed since Hannah Head endorsed it" in message.body
    compare = re.search(r"http://\S+/revisions/compare/\d+\.\.\.\d+/", message.body).group(0)

    # The Board cannot act until it is endorsed again: nothing offered, posts refused, not on the dashboard.
    for member in (people.board, people.board2):
        login(client, member)
        review = client.get(url("inspect", entry.pk)).content.decode()
        assert "data-workflow-action=" not in review
        for action in ("approve", "reject", "decline"):
            response = client.post(url("workflow_action", entry.pk, action, entry.current_workflow_task_state.pk))
            assert response.status_code == 403
        assert f'data-awaiting="{entry.reference}"' not in client.get("/admin/").content.decode()
    assert isinstance(step(entry), HeadOfServiceTask)

    # The Head sees the change on the review page and in Wagtail's compare view.
    login(client, people.head)
    assert f'data-awaiting="{entry.reference}"' in client.get("/admin/").content.decode()
    review = client.get(url("inspect", entry.pk)).content.decode()
    changes = review[review.index("data-reendorsement") : review.index("data-reendorsement") + 3000]
    assert "Say what the council's £12,000 buys." in changes.replace("&#x27;", "'")
    assert "Annual council financial contribution" in changes
    assert "12000" in changes and "999999" in changes
    assert compare[compare.index("/admin/") :] in changes
    compare_page = client.get(compare[compare.index("/admin/") :])
    assert compare_page.status_code == 200
    assert "999999" in compare_page.content.decode()

    # Only the last step publishes: the Head's approval is "Endorse", never "Endorse and Publish".
    editor = client.get(url("edit", entry.pk)).content.decode()
    assert "Endorse" in editor and "and Publish" not in editor

    response = act(client, entry, "approve", comment="Still a good use of the money.")
    assert said(response) == [
        f"You endorsed “Anytown Youth Partnership” ({entry.reference}). It goes to Management Board approval next. "
        "Told by email: Bea Boardlead, Ben Boardtwo, Bola Board, Lee Lead."
    ]
    assert isinstance(step(entry), BoardApprovalTask)

    login(client, people.board2)
    response = act(client, entry, "approve", minute_reference="MB/2026/30")
    assert said(response) == [
        f"You approved “Anytown Youth Partnership” ({entry.reference}). It is now on the register. "
        "Told by email: Hannah Head, Lee Lead, Rita Register."
    ]
    entry.refresh_from_db()
    assert entry.live and entry.status == Status.ACTIVE
    assert entry.annual_contribution == 999999


def test_the_board_is_told_who_heard_of_its_request_for_changes(returned, people):
    _, response = returned
    assert said(response) == [
        f"You asked for changes to “Anytown Youth Partnership” ({Partnership.objects.get().reference}). "
        "It is back with Lee Lead to amend. Told by email: Hannah Head, Lee Lead, Rita Register."
    ]


def test_a_decline_says_it_is_final_and_who_heard(client, people, service_area):
    entry = endorsed(client, people, service_area)
    login(client, people.board)
    response = act(client, entry, "decline", comment="The council funds this elsewhere.")
    assert said(response) == [
        f"You declined “Anytown Youth Partnership” ({entry.reference}). "
        "The decision is final: it is kept on record and never published. "
        "Told by email: Hannah Head, Lee Lead, Rita Register."
    ]


def test_whoever_decided_at_the_board_cannot_be_named_to_endorse_the_resubmission(client, people, returned):
    entry, _ = returned
    people.board.groups.add(Group.objects.get(name=roles.HEADS_OF_SERVICE))
    login(client, people.lead)
    response = edit(client, entry, head_of_service=str(people.board.pk))
    assert response.status_code == 302
    message = " ".join(said(response))
    assert "has not been submitted" in message
    assert (
        f'<a href="{url("edit", entry.pk)}#id_head_of_service">Head of Service: Bola Board decided on this proposal '
        "at the Management Board step, so cannot also endorse it.</a> (People tab)"
    ) in message
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES


def test_a_head_of_service_who_can_no_longer_act_stops_the_submission_at_the_field(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area, action=None)
    people.head.is_active = False
    people.head.save()
    response = edit(client, entry)
    assert response.status_code == 200
    assert response.context["form"].errors["head_of_service"] == [
        "Hannah Head can no longer sign in: choose a Head of Service who can endorse it."
    ]
    assert not WorkflowState.objects.exists()


def test_each_gap_of_a_refused_submission_links_to_its_field_and_names_its_tab(client, people, service_area):
    login(client, people.lead)
    response, entry = propose(client, service_area, equality_impact="", objectives="", **{"risks-TOTAL_FORMS": "0"})
    message = " ".join(said(response))
    edit_url = url("edit", entry.pk)
    for anchor, text, tab in [
        ("id_objectives", "Business case: set out the objectives", "Proposal"),
        ("id_risks-FORMS", "Add at least one risk to the risk register", "Risk"),
        ("id_equality_impact", "Give the equality impact answer", "Governance"),
    ]:
        assert f'<a href="{edit_url}#{anchor}">{text}</a> ({tab} tab)' in message
    # Every link lands on something in the form, on the tab it names.
    page = client.get(edit_url).content.decode()
    for anchor in re.findall(r'#([\w-]+)">', message):
        assert f'id="{anchor}"' in page, anchor
    tab = page[page.index('id="tab-governance"') :]
    assert 'id="id_equality_impact"' in tab[: tab.index('id="tab-', 10)]
    assert not TaskState.objects.exists()


def test_a_decision_from_the_editors_action_menu_says_who_heard_too(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    response = edit(client, entry, action="action-workflow-action", **{"workflow-action-name": "approve"})
    assert response.status_code == 302
    assert said(response) == [
        f"You endorsed “Anytown Youth Partnership” ({entry.reference}). It goes to Management Board approval next. "
        "Told by email: Bea Boardlead, Ben Boardtwo, Bola Board, Lee Lead."
    ]
