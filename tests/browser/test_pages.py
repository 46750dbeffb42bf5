"""The portal in a real browser: WCAG 2.2 AA (axe), keyboard, titles, assets, print."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from portal.models import GuidancePage, SectionPage
from portal.roles import MANAGEMENT_BOARD

# serialized_rollback: each live-server test flushes the database, and with it the
# rows Wagtail's migrations made (the default locale among them); this restores them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = {
    "home": ("/", 200),
    "framework content page": ("/framework/what-is-a-partnership/", 200),
    "search results": ("/search/?q=risk", 200),
    "sign-in": ("/sign-in/", 200),
    "page not found": ("/no-such-page/", 404),
}
CHECKLIST = "/intranet/toolkit/partnership-checklist/"


def assert_skip_link_comes_first(page):
    """One Tab reaches the skip link; Enter on it moves focus to the main content."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.govuk-skip-link[href=\"#main-content\"]')"), (
        "the first focusable element is " + page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    )
    page.keyboard.press("Enter")
    # GOV.UK Frontend's skip link module moves focus; proves init.js ran too.
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_page_is_accessible(page, site, assert_accessible, path, status):
    response = page.goto(site + path)

    assert response.status == status
    assert page.locator("h1").count() == 1
    assert_skip_link_comes_first(page)
    assert_accessible(page)


def test_search_finds_a_matching_word(page, site):
    page.goto(f"{site}/search/?q=risk")

    count = page.locator(".portal-result-list__item").count()
    assert count > 0
    assert page.get_by_role("status").inner_text().endswith(f"result{'s' if count > 1 else ''} for ‘risk’")


def test_staff_sign_in_reach_the_checklist_and_sign_out(page, site, sign_in, assert_accessible):
    # The intranet is private: an anonymous visitor is sent to the sign-in page.
    page.goto(site + CHECKLIST)
    assert page.url.startswith(f"{site}/sign-in/")

    sign_in(CHECKLIST)

    assert page.locator("h1").inner_text() == "Partnership checklist"
    assert page.locator(".portal-question-list > li").count() > 0
    assert page.locator(".portal-question__code").first.inner_text()
    assert_skip_link_comes_first(page)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{site}/")
    assert page.get_by_role("link", name="Sign in", exact=True).is_visible()
    assert page.get_by_role("link", name="Intranet", exact=True).count() == 0


def test_failed_sign_in_shows_an_error_summary_linked_to_the_field(page, site, assert_accessible):
    page.goto(f"{site}/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error: ")
    # GOV.UK Frontend moves focus to the summary so a screen reader announces it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert_accessible(page)


def test_page_titles_are_unique(page, site, sign_in):
    titles = {}
    for path, _status in PUBLIC_PAGES.values():
        page.goto(site + path)
        titles[path] = page.title()
    sign_in(CHECKLIST)
    titles[CHECKLIST] = page.title()

    assert len(set(titles.values())) == len(titles), titles
    for title in titles.values():
        assert title.endswith(f"{settings.WAGTAIL_SITE_NAME} – {settings.COUNCIL_NAME}"), title


def test_stylesheets_and_script_load_without_errors(page, site):
    stylesheets, failures, errors = [], [], []
    page.on("response", lambda r: stylesheets.append(r) if r.request.resource_type == "stylesheet" else None)
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{site}/framework/what-is-a-partnership/")
    page.wait_for_load_state("networkidle")

    assert stylesheets, "no stylesheet was requested"
    assert {response.url.rsplit("/", 1)[-1]: response.status for response in stylesheets} == {
        "govuk-frontend.min.css": 200,
        "portal.css": 200,
    }
    assert not failures and not errors, failures + errors
    # GOV.UK Frontend's styles apply, in the council's font (never GDS Transport).
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily") == "arial, sans-serif"
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.locator(".govuk-skip-link[data-govuk-skip-link-init]").count() == 1


def test_print_shows_content_not_chrome(page, site):
    page.goto(f"{site}/framework/what-is-a-partnership/")
    details = page.locator("details.govuk-details").first
    assert not details.locator(".govuk-details__text").is_visible()

    page.emulate_media(media="print")

    for chrome in (".govuk-service-navigation__wrapper", ".govuk-template__footer", ".govuk-phase-banner"):
        assert page.locator(chrome).is_hidden(), chrome
    assert details.locator(".govuk-details__text").is_visible()
    # Links in the content print where they go.
    link = page.locator(".portal-rich-text a[href^='/']").first
    link_after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"({link.get_attribute('href')})" in link_after


def test_a_signed_in_outsider_sees_an_accessible_forbidden_page(page, site, sign_in, assert_accessible):
    board_page = SectionPage.objects.get(slug="guidance").add_child(
        instance=GuidancePage(title="Board briefing", slug="board-briefing", summary="For the Board.")
    )
    restriction = PageViewRestriction.objects.create(page=board_page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.get(name=MANAGEMENT_BOARD)])

    sign_in(board_page.url)  # signed in as plain staff, then sent on to the Board's page

    assert page.url == site + board_page.url  # no bounce back to sign-in
    assert page.locator("h1").inner_text() == "You do not have permission to see this page"
    assert "For the Board." not in page.content()
    assert_skip_link_comes_first(page)
    assert_accessible(page)
