"""Public, intranet and admin pages work in Chromium under their Content-Security-Policy.

The `page` fixture fails any test whose pages the browser blocked something on; these
tests also check it directly, and walk the admin's busiest views (a page editor with its
preview, a register entry's editor with choosers, dates and inline panels).
"""

import pytest
from wagtail.models import Page

from tests.partnerships.factories import PartnershipFactory, PartnershipPartnerFactory, RiskRegisterEntryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def settle(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def test_public_and_intranet_pages_run_their_scripts_under_the_policy(page, site, sign_in, csp_violations):
    for path in ("/", "/framework/what-is-a-partnership/", "/partnerships/", "/search/?q=risk", "/no-such-page/"):
        settle(page, site + path)
        # GOV.UK's inline snippet ran (by its nonce), and so did init.js (the skip link module).
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path
        assert page.locator(".govuk-skip-link[data-govuk-skip-link-init]").count() == 1, path

    sign_in("/intranet/")
    for path in ("/intranet/", "/intranet/toolkit/partnership-checklist/", "/intranet/register/"):
        settle(page, site + path)
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), path

    assert csp_violations == []


def test_an_injected_inline_script_is_refused_and_reported(page, site, csp_violations):
    """The check itself works: a script without the nonce is blocked, and the test sees it."""
    settle(page, site + "/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.injected = 'ran'";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("document.body.dataset.injected") is None
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()  # expected here: the fixture fails a test on any other


@pytest.fixture
def superuser(make_user, portal_site):
    return make_user(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_page(page, sign_in_as, superuser):
    sign_in_as(superuser, "/admin/")  # password, then the second factor a superuser must give
    # The admin's editors are the heaviest pages the portal serves; give them time on a busy machine.
    page.set_default_timeout(30_000)
    return page


def test_admin_dashboard_and_listings_work_under_the_admin_policy(admin_page, site, csp_violations):
    for path in ("/admin/", "/admin/pages/", "/admin/snippets/partnerships/partnership/", "/admin/reports/workflow/"):
        response = settle(admin_page, site + path)
        assert response.status == 200, path
        # Wagtail's own scripts ran: the sidebar is drawn by JavaScript.
        admin_page.locator(".sidebar").first.wait_for()

    assert csp_violations == []


def test_admin_page_editor_and_its_preview_work_under_the_admin_policy(admin_page, site, csp_violations):
    content_page = Page.objects.get(url_path__endswith="/framework/what-is-a-partnership/")

    settle(admin_page, f"{site}/admin/pages/{content_page.pk}/edit/")

    # The StreamField editor is drawn by Wagtail's scripts.
    admin_page.locator("[data-streamfield-stream-container]").first.wait_for()
    admin_page.locator("[data-side-panel-toggle='preview']").click()
    preview = admin_page.frame_locator("iframe[id='w-preview-iframe']")
    preview.locator("h1").wait_for()
    admin_page.wait_for_load_state("networkidle")

    assert csp_violations == []


def test_admin_register_entry_editor_works_under_the_admin_policy(admin_page, site, csp_violations):
    entry = PartnershipFactory(name="Community Safety Partnership")
    PartnershipPartnerFactory(partnership=entry)
    RiskRegisterEntryFactory(partnership=entry)

    settle(admin_page, f"{site}/admin/snippets/partnerships/partnership/edit/{entry.pk}/")

    assert admin_page.locator("#id_name").input_value() == "Community Safety Partnership"
    # Tabs, inline panels and date pickers are set up by Wagtail's inline scripts.
    for tab in admin_page.locator("[role=tab]").all():
        tab.click()
    assert csp_violations == []

    settle(admin_page, f"{site}/admin/snippets/partnerships/partnerorganisation/add/")
    admin_page.fill("#id_name", "Anytown Housing Trust")
    admin_page.fill("#id_website", "https://housing.example.org/")
    admin_page.locator("select#id_sector").select_option(index=1)
    admin_page.get_by_role("button", name="Save", exact=True).click()
    admin_page.wait_for_url(f"{site}/admin/snippets/partnerships/partnerorganisation/")

    assert csp_violations == []
