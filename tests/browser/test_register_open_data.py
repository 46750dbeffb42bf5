"""Register entries in site search, the open-data page and a filtered register, in a real browser: axe and 320 px."""

import pytest

from partnerships.models import Level, Sector
from tests.partnerships.factories import public_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "search results with register entries": "/search/?q=Bewdley",
    "open-data page": "/partnerships/open-data/",
    "register filtered, with its downloads": "/partnerships/?level=operational",
}


@pytest.fixture
def entries(site):
    return [
        public_entry(
            name="Bewdley Flood Forum",
            purpose="Keeping homes in Bewdley safe from the river.",
            level=Level.OPERATIONAL,
            partners=[("Environment Agency", Sector.PUBLIC)],
        ),
        public_entry(name="Bewdley Town Partnership", purpose="A stronger town centre.", level=Level.STRATEGIC),
    ]


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_is_accessible(page, site, entries, assert_accessible, path):
    response = page.goto(site + path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_reflows_at_320_pixels(page, site, entries, path):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site + path)
    # No sideways scrolling of the page (WCAG 1.4.10); a wide table scrolls within its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_search_shows_register_entries_as_their_own_result_type(page, site, entries):
    page.goto(f"{site}/search/?q=Bewdley")
    items = page.locator(".portal-result-list__item", has=page.locator(".govuk-tag", has_text="Register entry"))
    assert items.count() == 2
    items.first.get_by_role("link", name="Bewdley Flood Forum").click()
    assert page.locator("h1").inner_text() == "Bewdley Flood Forum"
