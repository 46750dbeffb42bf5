"""What the Board sees: the dashboard panel, the one-screen review, the history and the decision log."""

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from wagtail.models import Workflow

from partnerships.models import Partnership
from partnerships.models.proposal import NEW_PARTNERSHIP_WORKFLOW
from portal import roles
from portal.models import ContentPage
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory
from tests.workflows.factories import act, edit, login, propose, url
from workflows.panels import awaiting_decision

pytestmark = pytest.mark.django_db


def at_board_step(people, service_area, name):
    """A proposal the Head of Service has endorsed, made in code (the admin path is tested elsewhere)."""
    entry = PartnershipFactory(
        draft=True, name=name, lead_officer=people.lead, service_area=service_area, annual_contribution=10
    )
    RiskRegisterEntryFactory(partnership=entry)
    entry.save_revision(user=people.lead)
    Workflow.objects.get(name=NEW_PARTNERSHIP_WORKFLOW).start(entry, people.lead)
    entry = Partnership.objects.get(pk=entry.pk)
    entry.current_workflow_task.on_action(entry.current_workflow_task_state, people.head, "approve")
    return entry


def test_awaiting_your_decision_on_the_dashboard(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    page = client.get("/admin/").content.decode()
    assert "Awaiting your decision" in page
    assert f'data-awaiting="{entry.reference}"' in page
    act(client, entry, "approve")

    login(client, people.board)
    page = client.get("/admin/").content.decode()
    row = page[page.index(f'data-awaiting="{entry.reference}"') :][:2000]
    assert "Management Board approval" in row
    assert "30 of 30 answered" in row
    assert "Medium" in row
    assert "£45,000.00" in row
    assert "Significant" in row

    # Not for the proposer, nor for someone with nothing to decide.
    for user in (people.lead, people.staff, people.head):
        login(client, user)
        assert f'data-awaiting="{entry.reference}"' not in client.get("/admin/").content.decode()


def test_the_panel_query_count_does_not_grow_with_the_proposals(people, service_area):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at_board_step(people, service_area, "First")
    awaiting_decision(get_user_model().objects.get(pk=people.board.pk))  # warm caches (content types)
    board = get_user_model().objects.get(pk=people.board.pk)
    with CaptureQueriesContext(connection) as one:
        assert len(awaiting_decision(board)) == 1

    at_board_step(people, service_area, "Second")
    at_board_step(people, service_area, "Third")
    board = get_user_model().objects.get(pk=people.board.pk)
    with CaptureQueriesContext(connection) as three:
        items = awaiting_decision(board)
    assert [item.partnership.name for item in items] == ["First", "Second", "Third"]
    assert len(three) == len(one)


def test_the_proposal_reads_on_one_screen_with_the_decisions_the_user_may_take(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    act(client, entry, "approve", comment="Endorsed: fits the youth strategy.")

    login(client, people.board)
    page = client.get(url("inspect", entry.pk)).content.decode()
    # The stylesheet that shows each decision's heading opens its form.
    assert "workflows/admin.css" in page
    for text in (
        "Screening (pre-partnership decision tree)",
        'data-screening-result="passed"',
        "Is it a contract for the delivery of a service?",
        "Rationale for the partnership",
        "How are decisions recorded?",
        "Our answer to 3c.",
        "30 of 30 questions answered",
        "Partners&#x27; outreach workers reach young people",
        "Partners&#x27; priorities drift apart.",
        "Equality impact assessment",
        "Planned",
        'data-workflow-action="approve"',
        'data-workflow-action="reject"',
        'data-workflow-action="decline"',
        'name="minute_reference"',
    ):
        assert text in page, text

    # The lead officer reads it too, but is offered no decision.
    login(client, people.lead)
    page = client.get(url("inspect", entry.pk)).content.decode()
    assert "Screening (pre-partnership decision tree)" in page
    assert "data-workflow-action=" not in page

    # The Board's decision, taken from that screen, comes back to it.
    login(client, people.board)
    inspect = url("inspect", entry.pk)
    response = act(client, entry, "approve", minute_reference="MB/7", comment="Yes.", next=inspect)
    assert response.status_code == 302
    assert response.url == inspect
    assert Partnership.objects.get(pk=entry.pk).live


def test_a_decision_without_its_required_comment_does_nothing_and_says_why(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    response = act(client, entry, "reject", comment="")
    assert response.status_code == 302
    assert Partnership.objects.get(pk=entry.pk).current_workflow_task_state.status == "in_progress"
    messages = [str(message) for message in client.get(response.url).context["messages"]]
    assert any("Nothing was done" in message and "Comment" in message for message in messages)


def test_each_step_shows_in_the_history_with_who_and_the_comment(client, people, service_area):
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    act(client, entry, "approve", comment="Endorsed by Hannah.")
    login(client, people.board)
    act(client, entry, "reject", comment="Board wants exit costs.")
    login(client, people.lead)

    edit(client, entry)
    login(client, people.head)  # resubmitted after changes: endorsed again before the Board decides
    act(client, entry, "approve", comment="Endorsed again.")
    login(client, people.board)
    act(client, entry, "decline", comment="Declined after all.")

    history = client.get(url("history", entry.pk)).content.decode()
    for text in (
        "started. Next step &#x27;Head of Service endorsement&#x27;",
        "Approved at &#x27;Head of Service endorsement&#x27;",
        "Endorsed by Hannah.",
        "Rejected at &#x27;Management Board approval&#x27;",
        "Board wants exit costs.",
        "Resubmitted",
        "Endorsed again.",
        "Declined at &#x27;Management Board approval&#x27;",
        "Declined after all.",
        "Bola Board",
        "Hannah Head",
        "Lee Lead",
    ):
        assert text in history, text


def test_the_decision_log_for_a_date_range_downloads_as_csv(client, people, service_area):
    with time_machine.travel(datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC), tick=False):
        login(client, people.lead)
        _, entry = propose(client, service_area)
        login(client, people.head)
        act(client, entry, "approve", comment="Endorsed.")
    with time_machine.travel(datetime.datetime(2026, 3, 3, 12, tzinfo=datetime.UTC), tick=False):
        login(client, people.board)
        act(client, entry, "approve", minute_reference="MB/2026/14", comment="=cmd|' /C calc'!A0")

    log_url = reverse("workflows:decision_log")
    login(client, people.board)  # the session signed in on a travelled-to day has expired since
    page = client.get(log_url, {"from": "2026-02-01", "to": "2026-03-31"})
    assert page.status_code == 200
    assert b"MB/2026/14" in page.content

    response = client.get(log_url, {"from": "2026-02-01", "to": "2026-03-31", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Date", "Reference", "Name", "Step", "Decision", "By", "Comment", "Minute reference"]
    assert rows[1] == [
        "2026-02-02",
        entry.reference,
        "Anytown Youth Partnership",
        "Head of Service endorsement",
        "Endorsed",
        "Hannah Head",
        "Endorsed.",
        "",
    ]
    assert rows[2][:6] == [
        "2026-03-03",
        entry.reference,
        "Anytown Youth Partnership",
        "Management Board approval",
        "Approved",
        "Bola Board",
    ]
    assert not rows[2][6].startswith("=")  # a spreadsheet never runs a comment as a formula
    assert rows[2][7] == "MB/2026/14"

    only_march = client.get(log_url, {"from": "2026-03-01", "to": "2026-03-31", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(b"".join(only_march.streaming_content).decode())))) == 2

    workbook = client.get(log_url, {"from": "2026-02-01", "to": "2026-03-31", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert sheet.cell(row=3, column=8).value == "MB/2026/14"

    for user in (people.lead, people.staff, people.head):
        login(client, user)
        assert client.get(log_url).status_code != 200
    login(client, people.manager)
    assert client.get(log_url).status_code == 200


def test_people_who_decide_are_told_when_nothing_awaits_them(client, people):
    for user in (people.board, people.head):
        login(client, user)
        page = client.get("/admin/").content.decode()
        assert "Awaiting your decision" in page
        assert "Nothing is waiting for your decision" in page
    # Someone who never decides has no such panel.
    login(client, people.lead)
    assert "Awaiting your decision" not in client.get("/admin/").content.decode()


def test_the_board_sees_each_proposal_once_and_moderators_keep_wagtails_review_panel(
    client, people, service_area, make_user
):
    entry = at_board_step(people, service_area, "Once Only Partnership")
    login(client, people.board)
    page = client.get("/admin/").content.decode()
    assert f'data-awaiting="{entry.reference}"' in page
    assert page.count("Once Only Partnership") == 1
    assert "Awaiting your review" not in page
    # Wagtail's own panel is how moderators find the pages that wait for them.
    editor, moderator = make_user(roles.STAFF, roles.EDITORS), make_user(roles.STAFF, roles.MODERATORS)
    guidance = ContentPage.objects.live().first()
    guidance.save_revision(user=editor)
    guidance.get_workflow().start(guidance, editor)
    login(client, moderator)
    page = client.get("/admin/").content.decode()
    assert "Awaiting your review" in page
    assert guidance.title in page
