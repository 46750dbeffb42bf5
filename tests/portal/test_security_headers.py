"""Content-Security-Policy and Permissions-Policy on every kind of response the portal sends."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal import views

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb"]


def directives(response):
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_permissions_policy(response):
    policy = response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


def assert_public_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert_permissions_policy(response)
    return policy


def assert_inline_scripts_carry_the_nonce(response):
    policy = assert_public_policy(response)
    html = response.content.decode()
    scripts = INLINE_SCRIPT.findall(html)
    assert scripts, "GOV.UK's body-class snippet should be on the page"
    nonces = {source[len("'nonce-") : -1] for source in policy["script-src"] if source.startswith("'nonce-")}
    assert len(nonces) == 1
    (nonce,) = nonces
    for attributes in scripts:
        assert f'nonce="{nonce}"' in attributes
    return nonce


def test_public_pages_allow_only_their_own_scripts_by_a_fresh_nonce(client, portal_site):
    first = assert_inline_scripts_carry_the_nonce(client.get("/"))
    second = assert_inline_scripts_carry_the_nonce(client.get("/framework/"))

    assert first != second
    assert len(first) >= 22  # 128 random bits, base64


def test_intranet_pages_carry_the_public_policy(staff_client):
    response = staff_client.get("/intranet/")

    assert response.status_code == 200
    assert_inline_scripts_carry_the_nonce(response)


def test_not_found_page_carries_the_policy(client, portal_site):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_inline_scripts_carry_the_nonce(response)


def test_server_error_page_carries_the_policy_and_needs_no_inline_script(client, portal_site, monkeypatch):
    def broken(user):
        raise RuntimeError("the search broke")

    monkeypatch.setattr(views, "visible_pages", broken)
    client.raise_request_exception = False

    response = client.get("/search/?q=risk")

    assert response.status_code == 500
    assert_public_policy(response)
    assert not INLINE_SCRIPT.findall(response.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships/register.csv",
        "/partnerships/register.json",
        "/healthz",
        "/sitemap.xml",
        "/api/v2/pages/",
        "/static/css/portal.css",
    ],
)
def test_files_and_data_carry_the_policy(client, portal_site, path):
    response = client.get(path)

    assert response.status_code == 200
    assert_public_policy(response)


def test_documents_keep_wagtails_stricter_policy(client, portal_site):
    document = get_document_model().objects.create(
        title="Terms of reference", file=ContentFile(b"%PDF-1.4 terms", name="terms.pdf")
    )

    response = client.get(document.url)

    assert response.status_code == 200
    # Wagtail's document view forbids a served file everything; ours does not loosen that.
    policy = directives(response)
    assert policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert_permissions_policy(response)


@pytest.fixture
def admin_client(client, make_user, portal_site):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/snippets/partnerships/partnership/"])
def test_admin_runs_under_its_own_policy_without_eval(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # A nonce would make browsers ignore 'unsafe-inline', which Wagtail's inline scripts need.
    assert "nonce-" not in response["Content-Security-Policy"]
    assert_permissions_policy(response)


def test_admin_sign_in_page_carries_the_admin_policy(client, portal_site):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives(response)["object-src"] == ["'none'"]
    assert_permissions_policy(response)
