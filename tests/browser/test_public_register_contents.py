"""The public register's filters, summary and an entry's full contents in a real browser: axe and 320 px reflow."""

import datetime
from decimal import Decimal

import pytest

from partnerships.models import ActivitySummary, ApprovalRecord, Area, MeetingNote
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NARROW = {"width": 320, "height": 640}


@pytest.fixture
def entries(site):
    bewdley, kidderminster = Area.objects.create(name="Bewdley"), Area.objects.create(name="Kidderminster")
    health, housing = ServiceAreaFactory(name="Health and Wellbeing"), ServiceAreaFactory(name="Housing")
    made = []
    for name, area, money, places in (
        ("Bewdley Health Forum", health, "12500", [bewdley]),
        ("Wyre Forest Housing Partnership", housing, "64000.50", [bewdley, kidderminster]),
        ("Kidderminster Wellbeing Network", health, "0", [kidderminster]),
    ):
        entry = PartnershipFactory(
            name=name, service_area=area, annual_contribution=Decimal(money), in_kind_hours=Decimal("80")
        )
        entry.areas.set(places)
        entry.activity_summaries = [ActivitySummary(year=2024, summary="Met six times and agreed a joint plan.")]
        entry.meeting_notes = [
            MeetingNote(date=datetime.date(2024, 5, 1), notes="Agreed the terms of reference.", publish_notes=True)
        ]
        entry.save()
        ApprovalRecord.objects.filter(partnership=entry).update(
            route=ApprovalRecord.Route.BOARD, approved_by="Management Board", minute_reference="MB/24/7"
        )
        made.append(published(entry))
    return {"entries": made, "bewdley": bewdley}


def assert_reflows(page):
    """At 320 CSS px nothing needs a horizontal scroll (WCAG 1.4.10)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"""
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px: {wide}"


def test_the_filtered_register_with_its_summary_is_accessible_and_reflows(page, site, entries, assert_accessible):
    url = f"{site}/partnerships/?area={entries['bewdley'].pk}&band=up-to-10000&band=10001-to-50000&band=over-50000"
    page.goto(url)
    assert page.locator("#results-heading").inner_text() == "2 partnerships"
    totals = page.locator("#summary-totals").inner_text()
    assert "£76,500.50 a year" in totals
    assert page.locator("#summary-table tbody tr").count() == 2
    page.locator("summary", has_text="What these mean").first.click()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    page.goto(url)
    assert_reflows(page)
    assert_accessible(page)


def test_an_entry_with_all_its_public_contents_is_accessible_and_reflows(page, site, entries, assert_accessible):
    entry = entries["entries"][1]
    url = f"{site}/partnerships/{entry.slug}/"
    page.goto(url)
    assert page.get_by_text("£64,000.50").count() == 1
    assert page.get_by_role("heading", name="Meeting notes").count() == 1
    assert page.get_by_text("Agreed the terms of reference.").is_visible()
    page.locator("summary").first.click()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    page.goto(url)
    assert_reflows(page)
    assert_accessible(page)
