"""The Management Board meeting pack: each proposal at the Board, for the Board and register managers only."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import Workflow

from partnerships.models import ChecklistAnswer, Partnership, RegisterSettings
from partnerships.models.proposal import NEW_PARTNERSHIP_WORKFLOW
from portal.models import QuestionSet
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory
from tests.workflows.factories import login, questions

pytestmark = pytest.mark.django_db

PACK = reverse("workflows:board_pack")
PACK_PDF = reverse("workflows:board_pack_pdf")
# The page's queries with any number of proposals: the session and user, the steps at the Board,
# the checklist, the entries with their revisions, the keys in those revisions, the service areas
# and lead officers, the register settings and the endorsements.
PACK_QUERIES = 19


def submitted(people, service_area, name, endorse_comment=None):
    """A proposal with a business case, a risk and one checklist answer, submitted by the lead officer."""
    entry = PartnershipFactory(
        draft=True,
        name=name,
        lead_officer=people.lead,
        service_area=service_area,
        annual_contribution=7680,
        objectives=f"{name}: fewer young people out of work.",
        priorities_served="Thriving communities.",
        added_value="Partners reach people the council does not.",
        costs_and_resources="£7,680 a year and 40 hours of officer time.",
        funding="The youth service budget.",
        exit_strategy="Six months' notice.",
        equality_impact="planned",
        equality_impact_reason="Before the first project starts.",
    )
    RiskRegisterEntryFactory(partnership=entry, description=f"{name}: partners' priorities drift apart.")
    first = questions(QuestionSet.Kind.CHECKLIST)[0]
    ChecklistAnswer.objects.create(partnership=entry, question=first, answer=f"{name} answers {first.code}.")
    entry = Partnership.objects.get(pk=entry.pk)
    entry.save_revision(user=people.lead)
    Workflow.objects.get(name=NEW_PARTNERSHIP_WORKFLOW).start(entry, people.lead)
    entry = Partnership.objects.get(pk=entry.pk)
    if endorse_comment is not None:
        entry.current_workflow_task.on_action(
            entry.current_workflow_task_state, people.head, "approve", comment=endorse_comment
        )
    return Partnership.objects.get(pk=entry.pk)


@pytest.fixture
def proposals(people, service_area):
    return {
        "first": submitted(people, service_area, "Youth Futures", endorse_comment="Fits our housing plan."),
        "second": submitted(people, service_area, "Green Spaces Forum", endorse_comment=""),
        # Still with the Head of Service: not the Board's yet.
        "waiting": submitted(people, service_area, "Not Yet Endorsed"),
    }


def test_the_pack_has_a_section_for_each_proposal_at_the_board(client, people, proposals):
    login(client, people.board)
    response = client.get(PACK)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-proposal=") == 2
    first, second = proposals["first"], proposals["second"]
    section = html[html.index(f'data-proposal="{first.reference}"') : html.index(f'data-proposal="{second.reference}"')]
    assert "Youth Futures: fewer young people out of work." in section  # business case
    assert "Youth Futures: partners&#x27; priorities drift apart." in section  # risks
    assert "Planned: Before the first project starts." in section  # EIA
    assert "Youth Futures answers" in section  # checklist
    assert "1 of " in section and "questions answered" in section
    assert "Council contribution £7,680.00 a year" in section
    assert "Endorsed by Hannah Head on " in section and "“Fits our housing plan.”" in section
    assert "Not Yet Endorsed" not in html
    later = html[html.index(f'data-proposal="{second.reference}"') :]
    assert "No comment given." in later
    assert "@media print" in html
    assert "wagtail" not in html.lower()  # a paper, no admin chrome


def test_a_decided_proposal_leaves_the_pack(client, people, proposals):
    entry = proposals["first"]
    entry.current_workflow_task.on_action(entry.current_workflow_task_state, people.board, "approve")
    login(client, people.manager)
    html = client.get(PACK).content.decode()
    assert f'data-proposal="{entry.reference}"' not in html
    assert f'data-proposal="{proposals["second"].reference}"' in html


def test_an_empty_pack_says_so(client, people):
    login(client, people.board)
    assert "No proposal is awaiting the Board." in client.get(PACK).content.decode()


@pytest.mark.parametrize(("who", "allowed"), [("board", True), ("manager", True), ("lead", False), ("head", False)])
def test_only_the_board_and_register_managers_get_the_pack(client, people, proposals, who, allowed):
    login(client, getattr(people, who))
    for path in (PACK, PACK_PDF):
        response = client.get(path)
        assert response.status_code == (200 if allowed else 403), path
        if not allowed:
            assert b"Youth Futures" not in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client, proposals):
    for path in (PACK, PACK_PDF):
        response = client.get(path)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_the_pack_downloads_as_a_pdf_that_opens(client, people, proposals):
    login(client, people.board)
    response = client.get(PACK_PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Management Board meeting pack" in text
    assert "Youth Futures" in text and "Green Spaces Forum" in text
    assert "Fits our housing plan." in text
    assert "Not Yet Endorsed" not in text
    assert len(reader.pages) >= 3  # each proposal starts a new page


def test_the_dashboard_links_the_board_to_its_pack(client, people, proposals):
    login(client, people.board)
    assert f'href="{PACK}" data-board-pack-link' in client.get("/admin/").content.decode()
    login(client, people.head)  # decides endorsements, but the pack is not theirs
    assert "data-board-pack-link" not in client.get("/admin/").content.decode()


def _pack_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PACK)
    assert response.status_code == 200
    return len(queries), response.content.decode().count("data-proposal=")


def test_the_pack_reads_a_fixed_number_of_queries_whatever_the_number_of_proposals(client, people, service_area):
    RegisterSettings.load()  # a running site has its settings row; the first read would create it
    login(client, people.board)
    submitted(people, service_area, "Proposal 1", endorse_comment="Yes.")
    one = _pack_queries(client)
    for n in range(2, 6):
        submitted(people, service_area, f"Proposal {n}", endorse_comment="Yes.")
    five = _pack_queries(client)
    assert one == (PACK_QUERIES, 1)
    assert five == (PACK_QUERIES, 5)
