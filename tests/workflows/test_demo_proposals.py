"""``seed_demo --submit-proposals``: the demo Head of Service and Board each find a real proposal to decide."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from partnerships.models import Partnership, Status
from partnerships.proposals import completeness as proposals
from portal import services
from workflows.panels import awaiting_decision

pytestmark = pytest.mark.django_db


def seed_demo(*extra):
    out = io.StringIO()
    call_command("seed_demo", "--partnerships", "30", "--seed", "1", *extra, stdout=out)
    return out.getvalue()


def awaiting(username):
    user = get_user_model().objects.get(username=username)
    return [(item.partnership.name, item.step) for item in awaiting_decision(user)]


@pytest.fixture
def demo_users(portal_site):
    services.create_demo_users(services.SetupReport())


def test_the_demo_head_and_board_each_have_a_proposal_to_decide(demo_users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed_demo("--submit-proposals")
    assert "proposals submitted for approval" in output
    assert awaiting("head") == [("Wyre Forest Youth Employment Partnership", "Head of Service endorsement")]
    assert awaiting("board") == [("Stourport Riverside Regeneration Partnership", "Management Board approval")]
    assert awaiting("head2") == [] and awaiting("lead") == []
    for name in ("Wyre Forest Youth Employment Partnership", "Stourport Riverside Regeneration Partnership"):
        entry = Partnership.objects.get(name=name)
        assert entry.status == Status.AWAITING_APPROVAL and not entry.live
        assert proposals.check(entry.get_latest_revision_as_object()).complete
    # Told as the workflow tells anyone: the head of the submission, the Board of the endorsement.
    told = {(message.to[0], message.subject) for message in mail.outbox}
    assert any(to.startswith("head@") and "Wyre Forest Youth" in subject for to, subject in told)
    assert any(to.startswith("board@") and "Stourport Riverside" in subject for to, subject in told)


def test_only_the_workflow_puts_an_entry_awaiting_approval(portal_site):
    seed_demo()
    assert not Partnership.objects.filter(status=Status.AWAITING_APPROVAL).exists()


def test_submitting_again_adds_nothing(demo_users):
    seed_demo("--submit-proposals")
    call_command("seed_demo", "--partnerships", "0", "--submit-proposals", stdout=io.StringIO())
    assert Partnership.objects.filter(name__startswith="Stourport Riverside").count() == 1
    assert len(awaiting("board")) == 1


def test_without_the_demo_accounts_it_says_why(portal_site):
    assert "no proposals submitted: the demo accounts lead, lead2 and head are missing" in seed_demo(
        "--submit-proposals"
    )
    assert not Partnership.objects.filter(status=Status.AWAITING_APPROVAL).exists()
