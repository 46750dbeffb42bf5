"""A lead officer starts a proposal from the intranet: the decision tree, the checklist, My partnerships."""

import pytest
from bs4 import BeautifulSoup

from portal import roles
from portal.models import QuestionSet, ToolkitPage
from tests.workflows.factories import url

pytestmark = pytest.mark.django_db


def toolkit_url(kind):
    return ToolkitPage.objects.get(question_set__kind=kind).url


def propose_links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [link["href"] for link in soup.select("a.govuk-button--start") if "Propose" in link.text]


@pytest.fixture
def lead_client(client, portal_site, make_user):
    client.force_login(make_user(roles.STAFF, roles.LEAD_OFFICERS))
    return client


@pytest.mark.parametrize("kind", [QuestionSet.Kind.DECISION_TREE, QuestionSet.Kind.CHECKLIST])
def test_the_tools_a_proposal_starts_from_link_to_the_proposal_form(lead_client, kind):
    response = lead_client.get(toolkit_url(kind))
    assert propose_links(response) == [url("add")]
    form = lead_client.get(url("add"))
    assert form.status_code == 200
    assert b"Screening" in form.content


def test_the_review_tools_do_not_offer_a_proposal(lead_client):
    for kind in (QuestionSet.Kind.IMPROVEMENT, QuestionSet.Kind.FIVE_MINUTE):
        response = lead_client.get(toolkit_url(kind))
        assert response.status_code == 200
        assert not propose_links(response)
        assert b"Propose a partnership" not in response.content


def test_staff_who_may_not_propose_are_told_who_can(staff_client):
    response = staff_client.get(toolkit_url(QuestionSet.Kind.DECISION_TREE))
    assert not propose_links(response)
    assert b"Lead officers propose new partnerships in the portal" in response.content


def test_my_partnerships_offers_a_new_proposal(lead_client):
    assert propose_links(lead_client.get("/intranet/register/mine/")) == [url("add")]
