"""Bulk actions on the register listing, through the URLs the listing's buttons use.

Who may do what (register manager, lead officer on their own and others' entries,
Head of Service, Management Board, anonymous), that every change is a revision with
a line in the entry's history, and that the listing and its pages say "partnership".
"""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partnerships.models import ApprovalRecord, Partnership, Status
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_partnerships_partnership:list"
HISTORY = "wagtailsnippets_partnerships_partnership:history"
REVIEW_DATES = {"next_review_due": "2027-06-30", "next_progress_report_due": "2027-01-31"}


def bulk_url(action, *entries):
    ids = "&".join(f"id={entry.pk}" for entry in entries)
    return reverse("wagtail_bulk_action", args=("partnerships", "partnership", action)) + "?" + ids


def not_included(html):
    match = re.search(r"<ul data-not-included>(.*?)</ul>", html, re.S)
    return match.group(1) if match else ""


def revisions(entry):
    return entry.revisions.count()


@pytest.fixture
def people(register_manager, lead_officer, other_lead_officer, head_of_service, board_member, role_user):
    from portal import roles

    return {
        "manager": register_manager,
        "lead": lead_officer,
        "other_lead": other_lead_officer,
        "head": head_of_service,
        "board": board_member,
        "new_head": role_user(roles.HEADS_OF_SERVICE, first_name="Harriet", last_name="Head"),
    }


@pytest.fixture
def entries(people):
    own = PartnershipFactory(name="Own partnership", lead_officer=people["lead"])
    others = PartnershipFactory(name="Someone else's partnership", lead_officer=people["other_lead"])
    for entry in (own, others):
        entry.save_revision(user=people["manager"])
    return own, others


# --- Who may act on which entries ---


@pytest.mark.parametrize("who", ["head", "board"])
@pytest.mark.parametrize("action", ["assign_lead_officer", "assign_head_of_service", "set_review_dates", "backfill"])
def test_people_who_change_no_entries_are_refused(client, people, entries, who, action):
    client.force_login(people[who])
    assert client.get(bulk_url(action, *entries)).status_code == 403
    assert client.post(bulk_url(action, *entries), REVIEW_DATES).status_code == 403
    assert {e.next_review_due for e in Partnership.objects.all()} == {None}


@pytest.mark.parametrize("action", ["assign_lead_officer", "set_review_dates", "export_selection", "backfill"])
def test_anonymous_visitors_are_sent_to_sign_in(client, entries, action):
    response = client.post(bulk_url(action, *entries), REVIEW_DATES)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert {e.next_review_due for e in Partnership.objects.all()} == {None}


def test_a_lead_officer_sets_review_dates_on_their_own_entries_only(client, people, entries):
    own, others = entries
    before = revisions(others)
    client.force_login(people["lead"])

    page = client.get(bulk_url("set_review_dates", own, others)).content.decode()
    assert "Someone else&#x27;s partnership: it is not yours to change" in not_included(page)
    assert "Own partnership" not in not_included(page)

    # The other officer's entry is put in the URL by hand: it is still left alone.
    response = client.post(bulk_url("set_review_dates", own, others), {**REVIEW_DATES, "next": reverse(LIST)})
    assert response.status_code == 302
    own.refresh_from_db()
    others.refresh_from_db()
    assert (own.next_review_due, own.next_progress_report_due) == (
        datetime.date(2027, 6, 30),
        datetime.date(2027, 1, 31),
    )
    assert (others.next_review_due, others.next_progress_report_due) == (None, None)
    assert revisions(others) == before
    # The edit form reads the same dates: they are in the entry's latest revision.
    latest = own.get_latest_revision_as_object()
    assert latest.next_review_due == datetime.date(2027, 6, 30)
    assert own.latest_revision.user == people["lead"]


def test_only_a_register_manager_gives_entries_to_another_lead_officer(client, people, entries):
    own, others = entries
    client.force_login(people["lead"])
    assert (
        client.post(bulk_url("assign_lead_officer", own), {"lead_officer": people["other_lead"].pk}).status_code == 403
    )
    own.refresh_from_db()
    assert own.lead_officer == people["lead"]

    client.force_login(people["manager"])
    response = client.post(bulk_url("assign_lead_officer", own, others), {"lead_officer": people["head"].pk})
    assert response.status_code == 302
    assert set(Partnership.objects.values_list("lead_officer", flat=True)) == {people["head"].pk}

    history = client.get(reverse(HISTORY, args=(own.pk,))).content.decode()
    lead_name = people["lead"].get_full_name()
    assert (
        f"Changed with other partnerships: Lead officer from {lead_name} to {people['head'].get_full_name()}" in history
    )


def test_a_head_of_service_comes_from_the_heads_of_service_group(client, people, entries):
    own, others = entries
    client.force_login(people["lead"])
    refused = client.post(bulk_url("assign_head_of_service", own), {"head_of_service": people["other_lead"].pk})
    assert refused.status_code == 200
    assert "Choose a Head of Service from the Heads of Service group." in refused.content.decode()

    response = client.post(bulk_url("assign_head_of_service", own, others), {"head_of_service": people["new_head"].pk})
    assert response.status_code == 302
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.head_of_service == people["new_head"]
    assert others.head_of_service != people["new_head"]  # not the lead officer's to change


def test_a_head_of_service_is_never_the_entrys_own_lead_officer(client, people, role_user):
    from portal import roles

    both = role_user(roles.HEADS_OF_SERVICE, roles.LEAD_OFFICERS)
    entry = PartnershipFactory(lead_officer=both)
    client.force_login(people["manager"])
    response = client.post(bulk_url("assign_head_of_service", entry), {"head_of_service": both.pk}, follow=True)
    assert "is the lead officer: the Head of Service who endorses must be someone else" in response.content.decode()
    entry.refresh_from_db()
    assert entry.head_of_service != both


def test_a_register_manager_changes_anyones_entries_and_each_change_is_in_its_history(client, people, entries):
    client.force_login(people["manager"])
    response = client.post(bulk_url("set_review_dates", *entries), {"next_review_due": "2027-06-30"}, follow=True)
    assert "2 partnerships given new review dates" in response.content.decode()
    for entry in entries:
        entry.refresh_from_db()
        assert entry.next_review_due == datetime.date(2027, 6, 30)
        assert entry.next_progress_report_due is None  # left as it was
        history = client.get(reverse(HISTORY, args=(entry.pk,))).content.decode()
        assert "Changed with other partnerships: Next annual review due from none to 30 June 2027" in history


def test_review_dates_need_at_least_one_date(client, people, entries):
    client.force_login(people["manager"])
    response = client.post(bulk_url("set_review_dates", *entries), {})
    assert response.status_code == 200
    assert "Enter a next annual review date, a next progress report date, or both" in response.content.decode()


def test_an_entry_locked_by_someone_else_is_left_alone(client, people, entries):
    own, _ = entries
    own.locked, own.locked_by = True, people["other_lead"]
    own.save(update_fields=["locked", "locked_by"])
    client.force_login(people["manager"])
    page = client.get(bulk_url("set_review_dates", own)).content.decode()
    assert "is locked by another user" in not_included(page)
    client.post(bulk_url("set_review_dates", own), REVIEW_DATES)
    own.refresh_from_db()
    assert own.next_review_due is None


def test_back_fill_in_bulk_is_for_register_managers_only(client, people):
    draft = PartnershipFactory(live=False, status=Status.ACTIVE, lead_officer=people["lead"])
    draft.save_revision()
    data = {"approved_on": "2019-03-12", "approved_by": "Cabinet", "minute_reference": "45"}
    client.force_login(people["lead"])
    assert client.post(bulk_url("backfill", draft), data).status_code == 403
    assert not ApprovalRecord.objects.filter(partnership=draft).exists()
    client.force_login(people["manager"])
    assert client.post(bulk_url("backfill", draft), data).status_code == 302
    assert ApprovalRecord.objects.get(partnership=draft).route == ApprovalRecord.Route.BACKFILL


# --- Export ---


@pytest.mark.parametrize("who", ["manager", "lead", "head", "board"])
def test_everyone_who_reads_the_register_exports_a_selection(client, people, entries, who):
    own, others = entries
    PartnershipFactory(name="Not selected")
    others.name = "=HYPERLINK(1)"
    others.save(update_fields=["name"])
    client.force_login(people[who])

    page = client.get(bulk_url("export_selection", own, others))
    assert page.status_code == 200
    response = client.post(bulk_url("export_selection", own, others), {"export_format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(row["Name"] for row in rows) == sorted([own.name, "'=HYPERLINK(1)"])
    assert {row["Lead officer"] for row in rows} == {
        people["lead"].get_full_name(),
        people["other_lead"].get_full_name(),
    }

    xlsx = client.post(bulk_url("export_selection", own, others), {"export_format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted([own.name, "=HYPERLINK(1)"])  # a text cell, never a formula
    assert sheet.cell(row=2, column=2).data_type == "s"


# --- Words ---


class VisibleText(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, and labels read aloud."""

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in ("script", "style", "template")
        self.parts += [value or "" for name, value in attrs if name in ("aria-label", "title", "placeholder", "alt")]

    def handle_endtag(self, tag):
        self.skipping -= tag in ("script", "style", "template") and self.skipping > 0

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_the_listing_and_bulk_pages_say_partnership_never_snippet(client, people, entries):
    client.force_login(people["manager"])
    listing = client.get(reverse(LIST)).content.decode()
    assert 'data-bulk-action-footer="PARTNERSHIP"' in listing
    for label in ("Assign lead officer", "Assign Head of Service", "Set review dates", "Export selection"):
        assert label in listing
    pages = [listing] + [
        client.get(bulk_url(action, *entries)).content.decode()
        for action in (
            "assign_lead_officer",
            "assign_head_of_service",
            "set_review_dates",
            "export_selection",
            "delete",
        )
    ]
    for html in pages:
        assert "snippet" not in visible_text(html).lower()


# --- Each bulk action offered only to those who may use it ---

ACTIONS = (
    "assign_lead_officer",
    "assign_head_of_service",
    "set_review_dates",
    "export_selection",
    "backfill",
    "delete",
)
MAY_USE = {
    "manager": set(ACTIONS),
    "lead": {"assign_head_of_service", "set_review_dates", "export_selection"},
    "head": {"export_selection"},
    "board": {"export_selection"},
}


def offered(listing_html):
    """The bulk actions whose buttons the listing's footer shows."""
    footer = listing_html[listing_html.index("data-bulk-action-footer=") :]
    prefix = reverse("wagtail_bulk_action", args=("partnerships", "partnership", "ACTION")).removesuffix("ACTION/")
    return set(re.findall(re.escape(prefix) + r"(\w+)/", footer))


@pytest.mark.parametrize("who", sorted(MAY_USE))
def test_the_listing_offers_each_user_only_the_bulk_actions_they_may_use(client, people, entries, who):
    client.force_login(people[who])
    assert offered(client.get(reverse(LIST)).content.decode()) == MAY_USE[who]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", sorted(MAY_USE))
def test_a_bulk_action_not_offered_is_refused_by_its_url(client, people, entries, who, action):
    client.force_login(people[who])
    status = client.get(bulk_url(action, *entries)).status_code
    assert (status == 200) == (action in MAY_USE[who]), status
    if action not in MAY_USE[who]:
        assert status == 403
