"""Every sign-in surface refuses guessing: after five failures for one account, or from one
address, even the right password is refused for fifteen minutes, with a message saying so."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from portal import roles

PASSWORD = "correct-horse-battery"  # make_user's
LIMIT = settings.AXES_FAILURE_LIMIT
ATTACKER = "192.0.2.10"  # documentation addresses: only ever a header value in these tests
ELSEWHERE = "198.51.100.20"
ANOTHER = "203.0.113.30"

pytestmark = pytest.mark.real_second_factor


def test_limits_are_settings():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def sign_in(client, username, password, address=ATTACKER, path="/sign-in/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def assert_portal_lockout(response):
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many attempts" in body
    assert "Wait 15 minutes, then try again." in body
    assert "govuk-heading-xl" in body


@pytest.fixture
def staff(portal_site, make_user):
    return make_user(roles.STAFF)


def test_portal_sign_in_refuses_the_right_password_after_five_failures(client, staff):
    for _ in range(LIMIT - 1):
        response = sign_in(client, staff.username, "wrong")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    assert_portal_lockout(sign_in(client, staff.username, "wrong"))
    response = sign_in(client, staff.username, PASSWORD)

    assert_portal_lockout(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/intranet/").status_code == 302


def test_lockout_follows_the_account_to_any_address(client, staff):
    for number in range(LIMIT):
        sign_in(client, staff.username, "wrong", address=f"192.0.2.{number + 1}")

    assert_portal_lockout(sign_in(client, staff.username, PASSWORD, address=ANOTHER))


def test_lockout_by_address_covers_every_account_tried_from_it(client, staff, make_user):
    for number in range(LIMIT):
        sign_in(client, f"guess{number}", "wrong")

    assert_portal_lockout(sign_in(client, staff.username, PASSWORD))
    # The same account from an address that has not been guessing signs in.
    response = sign_in(client, staff.username, PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert response["Location"] == "/intranet/"


def test_the_lockout_ends_after_the_cool_off(client, staff):
    for _ in range(LIMIT):
        sign_in(client, staff.username, "wrong")
    assert_portal_lockout(sign_in(client, staff.username, PASSWORD))

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = sign_in(client, staff.username, PASSWORD)

    assert response.status_code == 302


def test_admin_login_locks_out_in_the_admins_own_style(client, portal_site, make_user):
    editor = make_user(roles.STAFF, roles.EDITORS)
    for _ in range(LIMIT - 1):
        assert sign_in(client, editor.username, "wrong", path="/admin/login/").status_code == 200

    sign_in(client, editor.username, "wrong", path="/admin/login/")
    response = sign_in(client, editor.username, PASSWORD, path="/admin/login/")

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed attempts. Wait 15 minutes, then try again." in body
    assert 'class="login-form"' in body  # Wagtail's sign-in page, not the public site's
    assert "govuk-template" not in body
    assert "_auth_user_id" not in client.session


def test_wagtails_own_login_page_is_throttled_too(client, staff):
    for _ in range(LIMIT):
        sign_in(client, staff.username, "wrong", path="/_util/login/")

    assert sign_in(client, staff.username, PASSWORD, path="/_util/login/").status_code == 429


@pytest.fixture
def password_page(portal_site):
    page = Page.objects.get(url_path__endswith="/framework/what-is-a-partnership/")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
    )
    return page, restriction


def try_page_password(client, page, restriction, password, address=ATTACKER):
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    return client.post(url, {"password": password, "return_url": page.url}, REMOTE_ADDR=address)


def test_page_password_form_is_throttled(client, password_page):
    page, restriction = password_page
    assert client.get(page.url).status_code == 200  # the password form
    for _ in range(LIMIT - 1):
        response = try_page_password(client, page, restriction, "wrong")
        assert response.status_code == 200
        assert "password" in response.content.decode().lower()

    assert_portal_lockout(try_page_password(client, page, restriction, "wrong"))
    assert_portal_lockout(try_page_password(client, page, restriction, "open-sesame"))
    # A guesser who moves address is still refused: the page's password is what is guessed.
    assert_portal_lockout(try_page_password(client, page, restriction, "open-sesame", address=ANOTHER))


def test_page_password_works_before_the_limit(client, password_page):
    page, restriction = password_page
    try_page_password(client, page, restriction, "wrong")

    response = try_page_password(client, page, restriction, "open-sesame")

    assert response.status_code == 302
    assert client.get(page.url).context["page"].pk == page.pk


def test_document_password_form_is_throttled(client, portal_site):
    collection = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="open-sesame"
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.id])

    for _ in range(LIMIT):
        client.post(url, {"password": "wrong", "return_url": "/"}, REMOTE_ADDR=ATTACKER)

    assert_portal_lockout(client.post(url, {"password": "open-sesame", "return_url": "/"}, REMOTE_ADDR=ATTACKER))


@pytest.mark.parametrize("path", ["/password-reset/", "/admin/password_reset/"], ids=["portal", "admin"])
def test_password_reset_requests_are_limited_per_address_and_email(client, staff, path):
    for _ in range(LIMIT):
        response = client.post(path, {"email": staff.email}, REMOTE_ADDR=ATTACKER)
        assert response.status_code == 302
    assert len(mail.outbox) == LIMIT

    refused = client.post(path, {"email": staff.email}, REMOTE_ADDR=ATTACKER)
    # The same email asked for from another address is refused too: no mail-bombing.
    refused_elsewhere = client.post(path, {"email": staff.email.upper()}, REMOTE_ADDR=ANOTHER)

    assert refused.status_code == refused_elsewhere.status_code == 429
    assert len(mail.outbox) == LIMIT
    assert "Too many" in refused.content.decode()


def test_failures_on_different_surfaces_add_up_for_one_address(client, staff, password_page):
    page, restriction = password_page
    for _ in range(LIMIT - 2):
        try_page_password(client, page, restriction, "wrong")
    sign_in(client, "someone", "wrong")

    assert_portal_lockout(sign_in(client, staff.username, "wrong"))
    assert_portal_lockout(sign_in(client, staff.username, PASSWORD))


def test_behind_our_proxy_the_address_it_saw_is_counted_not_one_the_client_wrote(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"

    def sign_in_through_proxy(username, password, forwarded):
        data = {"username": username, "password": password}
        return client.post("/sign-in/", data, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    # Each attempt claims a new address at the left; the proxy appended the real one.
    for number in range(LIMIT):
        sign_in_through_proxy(f"guess{number}", "wrong", f"10.0.0.{number}, {ATTACKER}")

    assert_portal_lockout(sign_in_through_proxy(staff.username, PASSWORD, f"10.0.1.1, {ATTACKER}"))
    # Everyone else behind the same proxy signs in.
    assert sign_in_through_proxy(staff.username, PASSWORD, ELSEWHERE).status_code == 302
