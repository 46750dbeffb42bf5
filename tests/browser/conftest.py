"""Headless Chromium (Debian's, never a downloaded build) driving a live server.

Our own small `browser` and `page` fixtures rather than pytest-playwright: it cannot
find the system browser by channel, and its `base_url` fixture warns under pytest 9.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from portal.signin import devices
from tests.portal.factories import code_for

CHROMIUM = Path("/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
STAFF_PASSWORD = "correct-horse-battery"  # the root conftest's make_user password


@pytest.fixture(scope="package", autouse=True)
def _browser_environment():
    """Environment for this package only: it must not leak into other tests' subprocesses.

    Playwright's sync API keeps an event loop in this thread, so Django would refuse the
    fixtures' database queries as "async-unsafe"; and pytest-django's live server should
    listen on the loopback address itself rather than "localhost".
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        patch.setenv("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
        yield


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


# Every frame reports what the Content-Security-Policy blocked, before any page script runs.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.portalCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} ` +
    `(${event.sourceFile || document.location.href}:${event.lineNumber}) on ${document.location.href}`
  );
});
"""


@pytest.fixture
def csp_violations():
    """What the browser refused under the Content-Security-Policy, as events and console messages."""
    return []


@pytest.fixture
def page(browser, csp_violations):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.expose_function("portalCspViolation", lambda text: csp_violations.append(text))
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            csp_violations.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # Every browser test doubles as a check that the portal's pages break none of its policy.
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations), pytrace=False)


@pytest.fixture
def site(portal_site, live_server):
    """The live server's URL, serving the whole portal as setup_portal builds it.

    Tests using it need `django_db(transaction=True, serialized_rollback=True)`.
    """
    return live_server.url


def sign_in_through_the_forms(page, site, user, next_path="/intranet/", password=STAFF_PASSWORD):
    """Sign in as a person would: the password, then for roles that change or decide the
    security code from their authenticator, computed from the device's secret as a phone
    would. A role without an authenticator enrols on the way, reading the secret off the page.
    """
    page.goto(f"{site}/sign-in/?next={next_path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: urlsplit(url).path != "/sign-in/")
    step = urlsplit(page.url).path
    if step == "/sign-in/set-up/":
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.fill("#id_code", devices.current_code(secret))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="I have saved my recovery codes").click()
    elif step == "/sign-in/code/":
        page.fill("#id_code", code_for(devices.authenticator(user)))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{site}{next_path}")
    return page


@pytest.fixture
def sign_in_as(page, site):
    """Sign a given user in through the forms; returns the page."""

    def sign_in_to(user, next_path="/intranet/"):
        return sign_in_through_the_forms(page, site, user, next_path)

    return sign_in_to


@pytest.fixture
def sign_in(sign_in_as, staff_user):
    """Sign the staff reader in through the form; returns the page."""

    def sign_in_to(next_path="/intranet/"):
        return sign_in_as(staff_user, next_path)

    return sign_in_to


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    def check(page):
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
