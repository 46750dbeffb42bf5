"""A register entry's inspect page reads as a council paper: human values, and the entry's records below."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from partnerships.models import ActivitySummary, AnnualReview, MeetingNote, ProgressReport
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def entry(portal_site):
    entry = PartnershipFactory(
        name="Anytown Youth Partnership",
        annual_contribution=Decimal("7680.00"),
        in_kind_value=Decimal("0"),
        is_public=False,
        next_review_due=datetime.date(2027, 6, 18),
        equality_impact="planned",
        legal_status="",
    )
    MeetingNote.objects.create(partnership=entry, date=datetime.date(2026, 3, 4), notes="Agreed the youth plan.")
    ActivitySummary.objects.create(partnership=entry, year=2025, summary="Ran twelve youth clubs.")
    ProgressReport.objects.create(
        partnership=entry,
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2026, 3, 31),
        rating="amber",
        sufficient_progress=False,
        achievements="Two clubs opened.",
        issues="A partner withdrew.",
        next_steps="Find a new partner.",
        spend_to_date=Decimal("3840.50"),
        submitted_at=datetime.datetime(2026, 4, 10, 12, tzinfo=LONDON),
    )
    AnnualReview.objects.create(
        partnership=entry,
        review_date=datetime.date(2026, 5, 1),
        outcome="improve",
        improvements="Meet quarterly, not yearly.",
        activity_year=2025,
        activity_summary="Twelve clubs ran.",
    )
    return entry


def fields(html):
    soup = BeautifulSoup(html, "html.parser")
    return {
        dt.get_text(" ", strip=True).lower(): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in soup.select("main dl > dt")
    }


def test_the_inspect_page_shows_human_values(client, register_manager, entry):
    client.force_login(register_manager)
    html = client.get(reverse("wagtailsnippets_partnerships_partnership:inspect", args=[entry.pk])).content.decode()
    values = fields(html)
    assert values["annual council financial contribution (£)"] == "£7,680.00"
    assert values["estimated value of officer time (£ a year)"] == "£0.00"
    assert values["publish on the public register"] == "No"
    assert values["council is accountable body for funds"] == "No"
    assert values["next annual review due"] == "18 June 2027"
    assert values["start date"] == "1 April 2020"
    assert values["status"] == "Active"
    assert values["equality impact assessment"] == "Planned"
    assert values["terms of reference renewal date"] == "Not recorded"
    assert values["business case"] == "Not recorded"  # no document uploaded
    assert values["legal status"] == "Not recorded"
    assert values["terms of reference status"] == "No terms of reference"
    raw = {label: value for label, value in values.items() if value in ("False", "True", "None", "-", "")}
    assert raw == {}
    assert "7680.00" not in " ".join(values.values())


def test_the_inspect_page_lists_the_entrys_records(client, register_manager, entry):
    client.force_login(register_manager)
    html = client.get(reverse("wagtailsnippets_partnerships_partnership:inspect", args=[entry.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    notes = soup.select_one('[data-records="meeting-notes"]').get_text(" ", strip=True)
    assert "4 March 2026" in notes and "Agreed the youth plan." in notes
    assert "Ran twelve youth clubs." in soup.select_one('[data-records="summaries"]').get_text(" ", strip=True)
    reviews = soup.select_one('[data-records="reviews"]').get_text(" ", strip=True)
    assert "Review of 1 May 2026: Continue with improvements" in reviews
    assert "Meet quarterly, not yearly." in reviews
    progress = soup.select_one('[data-records="progress-reports"]').get_text(" ", strip=True)
    assert "1 October 2025 to 31 March 2026: Amber" in progress
    assert "Making sufficient progress No" in progress
    assert "£3,840.50" in progress
    assert "Submitted 10 April 2026" in progress
