"""Each role that changes or decides signs in through the real forms with a real code."""

import pytest
from django.conf import settings

from portal import roles
from portal.signin import devices
from tests.browser.conftest import STAFF_PASSWORD
from tests.portal.factories import DECIDING_ROLES, give_authenticator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("role", DECIDING_ROLES)
def test_each_deciding_role_signs_in_with_its_code_and_reaches_the_admin(page, site, make_user, sign_in_as, role):
    user = make_user(roles.STAFF, role)
    give_authenticator(user)

    sign_in_as(user, "/admin/")

    # Wagtail's dashboard, with the user's own name on it.
    assert page.title().startswith("Dashboard")
    assert page.get_by_text(user.first_name).first.is_visible()


def test_a_new_lead_officer_enrols_on_first_sign_in(page, site, make_user, assert_accessible):
    user = make_user(roles.STAFF, roles.LEAD_OFFICERS)
    page.goto(f"{site}/sign-in/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/sign-in/set-up/?next=%2Fadmin%2F")

    assert page.get_by_role("img", name="QR code to scan with your authenticator app").is_visible()
    assert page.locator("#totp-secret").inner_text()
    assert_accessible(page)
    # A wrong code: the GOV.UK error summary, linked to the field.
    page.fill("#id_code", "12")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#id_code", devices.current_code(secret))
    page.get_by_role("button", name="Continue").click()

    assert page.locator("h1").inner_text() == "Your authenticator app is set up"
    assert page.locator(".portal-recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_url(f"{site}/admin/")


def test_the_code_page_and_the_lockout_page_are_accessible(page, site, make_user, assert_accessible):
    user = make_user(roles.STAFF, roles.MANAGEMENT_BOARD)
    give_authenticator(user)
    page.goto(f"{site}/sign-in/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/sign-in/code/**")
    assert page.locator("h1").inner_text() == "Enter your security code"
    assert_accessible(page)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.fill("#id_code", "000000")
        page.get_by_role("button", name="Continue").click()

    assert page.locator("h1").inner_text() == "Too many attempts"
    assert_accessible(page)
