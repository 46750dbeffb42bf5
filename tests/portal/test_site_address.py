"""Every absolute URL the portal gives comes from one setting, PORTAL_BASE_URL."""

import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from wagtail.models import Site

from partnerships.models import PublicReport
from portal import roles, services
from tests.integration.conftest import BASE_DIR

ADDRESS = "http://127.0.0.1:8123"


@pytest.fixture
def configured(settings, db):
    # What portal/settings/base.py derives from PORTAL_BASE_URL=http://127.0.0.1:8123.
    settings.PORTAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = settings.WAGTAILAPI_BASE_URL = ADDRESS
    services.setup_portal()
    return ADDRESS


def hosts_in(text):
    return set(re.findall(r"https?://[^/<\"\s]+", text))


def test_the_settings_derive_every_address_from_the_one_variable():
    env = {**os.environ, "PORTAL_BASE_URL": "http://127.0.0.1:8123/", "DJANGO_SETTINGS_MODULE": "portal.settings.base"}
    env.pop("WAGTAILADMIN_BASE_URL", None)
    code = (
        "from django.conf import settings as s; "
        "print(s.PORTAL_BASE_URL, s.WAGTAILADMIN_BASE_URL, s.WAGTAILAPI_BASE_URL, '127.0.0.1' in s.ALLOWED_HOSTS)"
    )
    env["SECRET_KEY"] = "address-test"  # noqa: S105
    output = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert output == [ADDRESS, ADDRESS, ADDRESS, "True"]


def test_the_makefile_passes_the_port_through():
    makefile = (BASE_DIR / "Makefile").read_text()
    assert "run: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)" in makefile


def test_setup_writes_the_address_onto_the_site(configured):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("127.0.0.1", 8123, ADDRESS)


def test_the_sitemap_uses_the_configured_address(configured, client):
    body = client.get("/sitemap.xml").content.decode()
    assert f"{ADDRESS}/partnerships/" in body
    locations = re.findall(r"<loc>(.*?)</loc>", body)
    assert {location.split("/", 3)[2] for location in locations} == {"127.0.0.1:8123"}


def test_the_api_uses_the_configured_address(configured, client):
    items = client.get("/api/v2/pages/", {"limit": 100}).json()["items"]
    assert items
    for item in items:
        assert item["meta"]["html_url"].startswith(ADDRESS + "/")
        assert item["meta"]["detail_url"].startswith(ADDRESS + "/api/v2/")


def test_password_reset_links_use_the_configured_address(configured, client, make_user):
    user = make_user()
    client.post("/password-reset/", {"email": user.email})
    (message,) = mail.outbox
    assert f"{ADDRESS}/password-reset/" in message.body
    assert hosts_in(message.body) == {ADDRESS}


def test_notification_emails_link_to_the_configured_address(configured, make_user, django_capture_on_commit_callbacks):
    make_user(roles.STAFF, roles.REGISTER_MANAGERS)
    with django_capture_on_commit_callbacks(execute=True):
        PublicReport.objects.create(kind=PublicReport.Kind.FEEDBACK, message="Hello")
    (message,) = mail.outbox
    assert f"{ADDRESS}/admin/snippets/partnerships/publicreport/" in message.body
    assert hosts_in(message.body) == {ADDRESS}
