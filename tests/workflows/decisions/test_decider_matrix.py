"""Who may decide at each step of a proposal: every step × every person × every action, through the admin.

For each step the test reads what each person is offered (the review page's decision forms,
the editor's action menu, the dashboard's "Awaiting your decision") and posts every action
they are not offered to the workflow action URL the review page's forms post to. A refused
post answers 403 (a person without admin access is sent to sign in) and changes nothing.
Then someone who may act does, and the step moves on.

The same tests run on SQLite (DATABASE_URL unset) and PostgreSQL (DATABASE_URL set): the
rules are queries over task states and text object ids, which the two databases compare
differently if written carelessly.
"""

import re

import pytest
from django.urls import reverse
from wagtail.models import TaskState

from partnerships.models import Partnership, ServiceArea, Status
from portal import roles
from tests.workflows.factories import action_url, login, propose, url
from workflows.models import BoardApprovalTask, HeadOfServiceDeputy, HeadOfServiceTask

pytestmark = pytest.mark.django_db

HEAD_STEP_ACTIONS = ("approve", "reject")
BOARD_STEP_ACTIONS = ("approve", "reject", "decline")
# Each action's form filled in, so that a refusal is about who posts, never about what.
FILLED_IN = {
    "approve": {"comment": "Posted by hand.", "minute_reference": "MB/99"},
    "reject": {"comment": "Posted by hand."},
    "decline": {"comment": "Posted by hand."},
}
EVERYONE = ("proposer", "lead", "head", "deputy", "other_head", "board", "superuser", "manager", "staff")


@pytest.fixture
def cast(make_user, portal_site):
    """Everyone who might try to decide, each a different person.

    The named Head and their deputy also sit on Management Board, and the superuser is
    in both deciding groups, so that only the rules (not missing groups) keep them out.
    """

    def user(first, last, *groups, **fields):
        return make_user(
            roles.STAFF, *groups, first_name=first, last_name=last, email=f"{first.lower()}@council.example", **fields
        )

    people = {
        "proposer": user("Pat", "Proposer", roles.REGISTER_MANAGERS),
        "lead": user("Lee", "Lead", roles.LEAD_OFFICERS),
        "head": user("Hannah", "Head", roles.HEADS_OF_SERVICE, roles.MANAGEMENT_BOARD),
        "deputy": user("Dee", "Deputy", roles.HEADS_OF_SERVICE, roles.MANAGEMENT_BOARD),
        "other_head": user("Harry", "Otherhead", roles.HEADS_OF_SERVICE),
        "board": user("Bola", "Board", roles.MANAGEMENT_BOARD),
        "superuser": user(
            "Sue", "Super", roles.MANAGEMENT_BOARD, roles.HEADS_OF_SERVICE, is_superuser=True, is_staff=True
        ),
        "manager": user("Rita", "Register", roles.REGISTER_MANAGERS),
        "staff": user("Sam", "Staff"),
    }
    HeadOfServiceDeputy.objects.create(head=people["head"], deputy=people["deputy"])
    return people


@pytest.fixture
def at_head_step(client, cast):
    """A register manager proposes for a lead officer; the service area names Hannah as Head of Service."""
    area = ServiceArea.objects.create(name="Communities and Housing", head_of_service=cast["head"])
    login(client, cast["proposer"])
    _, entry = propose(client, area, lead_officer=str(cast["lead"].pk))
    assert entry.head_of_service == cast["head"]
    assert entry.lead_officer == cast["lead"]
    assert isinstance(current(entry).task.specific, HeadOfServiceTask)
    return entry


def current(entry):
    return Partnership.objects.get(pk=entry.pk).current_workflow_task_state


def offered_on_review(client, entry):
    page = client.get(url("inspect", entry.pk))
    if page.status_code != 200:
        return set()
    return set(re.findall(r'data-workflow-action="(\w+)"', page.content.decode()))


def offered_in_editor(client, entry):
    page = client.get(url("edit", entry.pk))
    if page.status_code != 200:
        return set()
    return set(re.findall(r'data-workflow-action-name="(\w+)"', page.content.decode()))


def listed_on_dashboard(client, entry):
    return f'data-awaiting="{entry.reference}"' in client.get("/admin/").content.decode()


def what_each_is_offered(client, cast, entry):
    offered = {}
    for role in EVERYONE:
        login(client, cast[role])
        review, editor = offered_on_review(client, entry), offered_in_editor(client, entry)
        offered[role] = {"review page": review, "editor": editor, "dashboard": listed_on_dashboard(client, entry)}
    return offered


def expected_offers(allowed, actions):
    return {
        role: {
            "review page": set(actions) if role in allowed else set(),
            "editor": set(actions) if role in allowed else set(),
            "dashboard": role in allowed,
        }
        for role in EVERYONE
    }


def post_outcome(client, entry, action):
    """Post ``action`` on the entry's current step as a browser would; say how it was answered."""
    before = current(entry)
    response = client.post(action_url(entry, action), FILLED_IN[action])
    after = TaskState.objects.get(pk=before.pk)
    assert after.status == TaskState.STATUS_IN_PROGRESS, f"{action} by {response.wsgi_request.user} was done"
    assert current(entry).pk == before.pk
    if response.status_code == 403:
        return "refused"
    if response.status_code == 302 and response.url.startswith("/admin/login/"):
        return "sent to sign in"
    return f"answered {response.status_code}"


def refusals(client, cast, entry, allowed, actions, other_actions=()):
    """Every action each person may not take, posted: how each post was answered."""
    outcomes = {}
    for role in EVERYONE:
        login(client, cast[role])
        forbidden = other_actions if role in allowed else actions
        outcomes[role] = {action: post_outcome(client, entry, action) for action in forbidden}
    return outcomes


def expected_refusals(allowed, actions, other_actions=()):
    answer = dict.fromkeys(EVERYONE, "refused")
    answer["staff"] = "sent to sign in"  # no admin access at all
    return {role: dict.fromkeys(other_actions if role in allowed else actions, answer[role]) for role in EVERYONE}


def test_at_the_head_of_service_step_only_the_named_head_and_their_deputy_decide(client, cast, at_head_step):
    entry = at_head_step
    allowed = {"head", "deputy"}
    assert what_each_is_offered(client, cast, entry) == expected_offers(allowed, HEAD_STEP_ACTIONS)
    # The Head of Service step has no decline: even the Head is refused one.
    assert refusals(client, cast, entry, allowed, HEAD_STEP_ACTIONS, ("decline",)) == expected_refusals(
        allowed, HEAD_STEP_ACTIONS, ("decline",)
    )

    login(client, cast["deputy"])
    response = client.post(action_url(entry, "approve"), {"comment": "For Hannah, who is away."})
    assert response.status_code == 302
    assert isinstance(current(entry).task.specific, BoardApprovalTask)


@pytest.mark.parametrize("endorser", ["head", "deputy"])
def test_at_the_board_step_nobody_who_endorsed_decides_and_no_superuser(client, cast, at_head_step, endorser):
    entry = at_head_step
    login(client, cast[endorser])
    assert client.post(action_url(entry, "approve"), {"comment": "Endorsed."}).status_code == 302
    assert isinstance(current(entry).task.specific, BoardApprovalTask)

    # Hannah and Dee both sit on the Board. Whoever endorsed may not decide there; nor may
    # Hannah when Dee endorsed in her name. Dee, who did not endorse Hannah's own, may.
    allowed = {"board"} if endorser == "deputy" else {"board", "deputy"}
    assert what_each_is_offered(client, cast, entry) == expected_offers(allowed, BOARD_STEP_ACTIONS)
    assert refusals(client, cast, entry, allowed, BOARD_STEP_ACTIONS) == expected_refusals(allowed, BOARD_STEP_ACTIONS)

    login(client, cast["board"])
    response = client.post(action_url(entry, "approve"), FILLED_IN["approve"])
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.live and entry.status == Status.ACTIVE


def test_a_post_naming_a_finished_step_or_another_entrys_step_is_refused(client, cast, at_head_step):
    """The step id in the address must be the entry's current step: an old one, or another entry's, decides nothing."""
    entry = at_head_step
    first_step = current(entry)
    login(client, cast["head"])
    client.post(action_url(entry, "approve"), {"comment": "Endorsed."})

    login(client, cast["board"])
    stale = url("workflow_action", entry.pk, "approve", first_step.pk)
    assert client.post(stale, FILLED_IN["approve"]).status_code == 403
    assert isinstance(current(entry).task.specific, BoardApprovalTask)

    other_area = ServiceArea.objects.create(name="Leisure", head_of_service=cast["other_head"])
    login(client, cast["lead"])
    _, other = propose(client, other_area, name="Another proposal")
    login(client, cast["board"])
    crossed = url("workflow_action", other.pk, "approve", current(entry).pk)
    assert client.post(crossed, FILLED_IN["approve"]).status_code == 403
    assert current(entry).status == TaskState.STATUS_IN_PROGRESS


def test_a_superuser_named_head_of_service_is_not_offered_the_step(client, cast, at_head_step):
    """Made a superuser after submission, the named Head no longer decides: the portal's administrators never do."""
    entry = at_head_step
    head = cast["head"]
    head.is_superuser = True
    head.save()
    login(client, head)
    assert offered_on_review(client, entry) == set()
    assert post_outcome(client, entry, "approve") == "refused"
    assert not listed_on_dashboard(client, entry)


def heads_offered(page):
    select = re.search(r'<select name="head_of_service".*?</select>', page.content.decode(), re.S).group(0)
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', select)}


def test_the_head_of_service_lists_offer_only_heads(client, cast):
    """The entry's Head of Service select (People tab) and the service area's: the Heads of Service group,
    no one else, nor a superuser in it."""
    heads = {cast["head"].pk, cast["deputy"].pk, cast["other_head"].pk}
    login(client, cast["lead"])
    assert heads_offered(client.get(url("add"))) == heads
    login(client, cast["manager"])
    assert heads_offered(client.get(reverse("wagtailsnippets_partnerships_servicearea:add"))) == heads

    # A Head of Service posted by hand from outside the group is refused at the field.
    response = client.post(
        reverse("wagtailsnippets_partnerships_servicearea:add"),
        {"name": "Leisure", "head_of_service": str(cast["board"].pk)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["head_of_service"] == [
        "Choose a Head of Service from the Heads of Service group."
    ]
