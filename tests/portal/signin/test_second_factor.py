"""Every role that changes or decides signs in with a code from an authenticator app.

These tests sign in through the forms (`real_second_factor`): the root conftest's
force_login shortcut would otherwise hand them a session that has passed the second step.
"""

import re
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import roles
from portal.signin import devices
from tests.portal.factories import DECIDING_ROLES, code_for, give_authenticator

PASSWORD = "correct-horse-battery"  # make_user's
# Pages that change or decide something, and the intranet's staff-only pages.
GUARDED = ["/admin/", "/admin/pages/", "/admin/snippets/partnerships/partnership/", "/intranet/", "/intranet/register/"]

pytestmark = pytest.mark.real_second_factor


@pytest.fixture
def make_role(portal_site, make_user):
    def make(role):
        if role == "superuser":
            return make_user(is_superuser=True, is_staff=True)
        return make_user(roles.STAFF, role)

    return make


def sign_in(client, user, path="/sign-in/", next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(path, data)


def give_code(client, code, next_url=""):
    return client.post(f"/sign-in/code/?next={next_url}", {"code": code, "next": next_url})


def assert_sent_to(response, path):
    assert response.status_code == 302, response.status_code
    assert response["Location"].split("?")[0] == path, response["Location"]


@pytest.mark.parametrize("role", [*DECIDING_ROLES, "superuser"])
def test_a_role_without_an_authenticator_is_sent_to_enrol_and_reaches_nothing(client, make_role, role):
    user = make_role(role)

    response = sign_in(client, user)

    assert_sent_to(response, "/sign-in/set-up/")
    for path in GUARDED:
        assert_sent_to(client.get(path), "/sign-in/set-up/")
    # Nor may it change anything: a POST is turned away before any view sees it.
    assert_sent_to(client.post("/admin/pages/add/portal/contentpage/3/", {"title": "x"}), "/sign-in/set-up/")
    page = client.get("/sign-in/set-up/")
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()


@pytest.mark.parametrize("role", [*DECIDING_ROLES, "superuser"])
def test_a_role_with_an_authenticator_needs_its_code_as_well_as_its_password(client, make_role, role):
    user = make_role(role)
    device = give_authenticator(user)

    response = sign_in(client, user, next_url="/admin/")

    assert_sent_to(response, "/sign-in/code/")
    assert "next=%2Fadmin%2F" in response["Location"]
    for path in GUARDED:
        assert_sent_to(client.get(path), "/sign-in/code/")

    response = give_code(client, code_for(device), next_url="/admin/")

    assert_sent_to(response, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/intranet/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message(client, make_role):
    user = make_role(roles.EDITORS)
    device = give_authenticator(user)
    sign_in(client, user)

    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = give_code(client, wrong)

    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The security code is not right" in body
    assert_sent_to(client.get("/admin/"), "/sign-in/code/")


def test_a_used_code_cannot_be_replayed(client, make_role):
    user = make_role(roles.MANAGEMENT_BOARD)
    device = give_authenticator(user)
    code = code_for(device)
    sign_in(client, user)
    assert_sent_to(give_code(client, code), settings.LOGIN_REDIRECT_URL)

    client.post("/sign-out/")
    sign_in(client, user)

    assert give_code(client, code).status_code == 200
    assert_sent_to(client.get("/admin/"), "/sign-in/code/")


def test_five_wrong_codes_lock_the_account_out_and_end_the_session(client, make_role):
    user = make_role(roles.REGISTER_MANAGERS)
    give_authenticator(user)
    sign_in(client, user)

    responses = [give_code(client, "12345" + str(n)) for n in range(settings.AXES_FAILURE_LIMIT)]

    assert responses[-1].status_code == 429
    assert "Too many attempts" in responses[-1].content.decode()
    assert "_auth_user_id" not in client.session
    # The password alone is refused now too.
    assert sign_in(client, user).status_code == 429


def enrol(client, user, next_url="/admin/"):
    """Sign in and enrol through the set-up page, as a person with a phone would."""
    sign_in(client, user, next_url=next_url)
    page = client.get(f"/sign-in/set-up/?next={next_url}")
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert devices.secret(device) == secret
    response = client.post(
        f"/sign-in/set-up/?next={next_url}", {"code": devices.current_code(secret), "next": next_url}
    )
    return page, response


def test_enrolment_shows_a_qr_code_drawn_inline_and_the_secret(client, make_role):
    user = make_role(roles.LEAD_OFFICERS)
    sign_in(client, user)

    body = client.get("/sign-in/set-up/").content.decode()

    assert re.search(r'<svg[^>]+role="img"[^>]+aria-label="QR code', body)
    assert "<path" in body
    assert not re.search(r"<img[^>]+src=\"https?:", body)  # no outside image service
    secret = devices.secret(TOTPDevice.objects.get(user=user))
    assert devices.grouped(secret) in body


def test_enrolment_confirms_the_app_and_shows_recovery_codes_once(client, make_role):
    user = make_role(roles.HEADS_OF_SERVICE)

    _page, response = enrol(client, user)

    assert_sent_to(response, "/sign-in/recovery-codes/")
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10
    body = shown.content.decode()
    assert all(code in body for code in codes)
    assert shown["Cache-Control"].startswith("max-age=0") or "no-store" in shown["Cache-Control"]
    assert 'href="/admin/"' in body
    # Shown once: the page does not show them again.
    assert_sent_to(client.get("/sign-in/recovery-codes/?next=/admin/"), "/admin/")
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_confirm_the_app(client, make_role):
    user = make_role(roles.MODERATORS)
    sign_in(client, user)
    client.get("/sign-in/set-up/")

    response = client.post("/sign-in/set-up/", {"code": "12345"})

    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()
    assert not devices.is_enrolled(user)
    assert_sent_to(client.get("/admin/"), "/sign-in/set-up/")


def test_a_recovery_code_works_once(client, make_role):
    user = make_role(roles.EDITORS)
    _page, response = enrol(client, user)
    code = client.get(response["Location"]).context["codes"][0]
    client.post("/sign-out/")

    sign_in(client, user)
    # Typed as people do, in capitals with a space.
    assert_sent_to(give_code(client, f"{code[:4]} {code[4:]}".upper(), "/admin/"), "/admin/")
    assert client.get("/admin/").status_code == 200
    assert devices.recovery_codes_left(user) == 9
    client.post("/sign-out/")

    sign_in(client, user)
    assert give_code(client, code).status_code == 200
    assert_sent_to(client.get("/admin/"), "/sign-in/code/")
    assert not StaticToken.objects.filter(token=code).exists()


def test_an_enrolled_user_cannot_enrol_another_app_with_the_password_alone(client, make_role):
    user = make_role(roles.MANAGEMENT_BOARD)
    first = give_authenticator(user)
    sign_in(client, user)

    assert_sent_to(client.get("/sign-in/set-up/"), "/sign-in/code/")
    assert_sent_to(client.post("/sign-in/set-up/", {"code": "123456"}), "/sign-in/code/")
    assert list(TOTPDevice.objects.filter(user=user)) == [first]


def test_admin_login_then_asks_for_the_code(client, make_role):
    user = make_role(roles.EDITORS)
    device = give_authenticator(user)

    # "Remember me" ticked: the session must still end with the browser.
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD, "remember": "on"})
    assert_sent_to(response, "/admin/")
    response = client.get("/admin/")
    assert_sent_to(response, "/sign-in/code/")
    assert "next=%2Fadmin%2F" in response["Location"]

    assert_sent_to(give_code(client, code_for(device), "/admin/"), "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expire_at_browser_close()


def test_plain_staff_sign_in_with_a_password_alone(client, portal_site, make_user):
    user = make_user(roles.STAFF)

    response = sign_in(client, user)

    assert_sent_to(response, "/intranet/")
    assert client.get("/intranet/").status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
    # Staff keep the long-lived session they had.
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_deciding_roles_sessions_end_with_the_browser_and_after_a_working_day_idle(client, make_role):
    user = make_role(roles.HEADS_OF_SERVICE)
    device = give_authenticator(user)
    sign_in(client, user)
    give_code(client, code_for(device))
    assert client.session.get_expire_at_browser_close()
    assert settings.PRIVILEGED_SESSION_IDLE_TIMEOUT.total_seconds() == 8 * 3600

    # Busy all day: each request keeps the session alive.
    for hours in (3, 6, 9, 12):
        with time_machine.travel(timezone.now() + timedelta(hours=hours)):
            assert client.get("/admin/").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(hours=12 + 8, minutes=5)):
        response = client.get("/admin/")
        assert_sent_to(response, "/sign-in/")
        assert "_auth_user_id" not in client.session


def test_staff_sessions_are_not_cut_after_a_working_day(client, portal_site, make_user):
    user = make_user(roles.STAFF)
    sign_in(client, user)

    with time_machine.travel(timezone.now() + timedelta(hours=20)):
        assert client.get("/intranet/").status_code == 200


def test_demo_accounts_share_the_published_secret_and_demo_totp_prints_its_code(client, portal_site):
    call_command("setup_portal", "--demo-users", stdout=StringIO())
    out = StringIO()

    call_command("demo_totp", "lead", stdout=out)

    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert code == devices.current_code(devices.DEMO_TOTP_SECRET)
    response = client.post("/sign-in/", {"username": "lead", "password": "portal-demo-2026", "next": "/admin/"})
    assert_sent_to(response, "/sign-in/code/")
    assert_sent_to(give_code(client, code, "/admin/"), "/admin/")
    assert client.get("/admin/").status_code == 200
    # Staff readers have no authenticator; every deciding demo account has the demo one.
    assert not TOTPDevice.objects.filter(user__username="staff").exists()
    for username in ("admin", "editor", "moderator", "registrar", "lead", "lead2", "head", "head2", "board"):
        assert devices.secret(TOTPDevice.objects.get(user__username=username)) == devices.DEMO_TOTP_SECRET


def test_demo_totp_refuses_an_account_without_the_demo_secret(portal_site, make_user):
    user = make_user(roles.EDITORS)
    give_authenticator(user)

    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", user.username, stdout=StringIO())


def test_setup_portal_leaves_no_demo_authenticator_without_demo_users(portal_site):
    call_command("setup_portal", stdout=StringIO())

    assert not TOTPDevice.objects.filter(key=b32decode(devices.DEMO_TOTP_SECRET).hex()).exists()


def test_reset_second_factor_sends_a_person_who_lost_their_phone_to_enrol_again(client, make_role):
    user = make_role(roles.EDITORS)
    give_authenticator(user)
    devices.new_recovery_codes(user)

    call_command("reset_second_factor", user.username, stdout=StringIO())

    assert_sent_to(sign_in(client, user), "/sign-in/set-up/")
    assert devices.recovery_codes_left(user) == 0
