"""Report a problem, feedback and the cookies page in a real browser: axe and 320 px reflow, errors included."""

import pytest
from django.core.cache import cache

from tests.partnerships.factories import public_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def fresh_limit():
    cache.delete("public-report:127.0.0.1")


def assert_reflows_at_320(page):
    """WCAG 1.4.10: at 320 CSS pixels nothing needs scrolling sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert width <= 320, f"{page.url} is {width} px wide at 320 px"


def check(page, assert_accessible):
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert_reflows_at_320(page)


def test_reporting_a_problem_from_an_entry(page, site, assert_accessible):
    entry = public_entry(name="Stourport Regeneration Partnership", slug="stourport-regeneration")
    page.goto(f"{site}/partnerships/{entry.slug}/")
    page.get_by_role("link", name="Report a problem with this entry").click()
    assert page.locator("h1").inner_text() == "Report a problem with this entry"
    check(page, assert_accessible)

    page.get_by_label("Email address (optional)").fill("not an email")
    page.get_by_role("button", name="Send").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="Enter what is wrong").is_visible()
    assert summary.get_by_role("link", name="Enter an email address in the correct format, like name@example.com")
    check(page, assert_accessible)

    summary.get_by_role("link", name="Enter what is wrong").click()
    assert page.evaluate("document.activeElement.id") == "id_message"
    page.get_by_label("What is wrong?").fill("The partners listed are out of date.")
    page.get_by_label("Email address (optional)").fill("resident@example.com")
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Report sent"
    check(page, assert_accessible)


def test_feedback_from_the_beta_banner(page, site, assert_accessible):
    page.goto(site + "/")
    page.locator(".govuk-phase-banner").get_by_role("link", name="feedback").click()
    check(page, assert_accessible)
    page.get_by_role("button", name="Send").click()
    assert page.locator(".govuk-error-summary").get_by_role("link", name="Enter what you would like to tell us")
    check(page, assert_accessible)
    page.get_by_label("What would you like to tell us?").fill("Easy to use.")
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Feedback sent"
    check(page, assert_accessible)


def test_the_cookies_page_from_the_footer(page, site, assert_accessible):
    page.goto(site + "/")
    page.locator("footer").get_by_role("link", name="Cookies and privacy").click()
    assert page.locator("h1").inner_text() == "Cookies and privacy"
    check(page, assert_accessible)
