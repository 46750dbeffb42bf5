"""Fixtures shared by every test: the site as `make run` builds it, users per role, and the page cache."""

import itertools
import os
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from partnerships.public import prebuilt
from portal import page_routing, roles, services
from portal.signin import devices
from portal.signin.policy import needs_second_factor
from tests.portal.factories import PURGED, give_authenticator

_usernames = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test's database rolls back, so cached data (Wagtail's site root paths) must go too.

    Local memory even when REDIS_URL is set: clearing a Redis cache flushes its whole
    database, and a real worker started by tests/integration uses that Redis cache.
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_open_data_folder(settings, tmp_path_factory):
    """The register's prebuilt open-data files in a folder of this test's own."""
    settings.OPEN_DATA_ROOT = tmp_path_factory.mktemp("open-data")


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(request, monkeypatch):
    """`client.force_login(user)` signs in as far as a person with an authenticator would.

    For a role that needs a second factor (portal/signin/policy.py) it also gives the user a
    confirmed authenticator and marks the session as verified by it, so tests of what a role
    does need not repeat the sign-in steps. Tests of those steps opt out with
    `@pytest.mark.real_second_factor`.
    """
    if request.node.get_closest_marker("real_second_factor"):
        return
    sign_in = Client._login

    def sign_in_with_second_factor(client, user, backend=None):
        sign_in(client, user, backend)
        if needs_second_factor(user):
            device = devices.authenticator(user) or give_authenticator(user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", sign_in_with_second_factor)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the site once per test database; each test then rolls back to it."""
    with django_db_blocker.unblock():
        services.setup_portal()
        # Transactional tests (live server, real worker) restore this snapshot after
        # flushing; take it now so it includes the site, not just the migrations.
        for connection in connections.all():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def portal_site(db):
    """The site tree, content, roles and workflows, built the way `make run` builds them.

    Cheap when the session's site is intact; rebuilds it after a transactional
    test has flushed the database.
    """
    services.setup_portal()
    from portal.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def make_user(db):
    def make(*group_names, username=None, **fields):
        number = next(_usernames)
        user = get_user_model().objects.create_user(
            username=username or f"user{number}",
            email=fields.pop("email", f"user{number}@council.example"),
            password="correct-horse-battery",  # noqa: S106
            first_name=fields.pop("first_name", "Test"),
            last_name=fields.pop("last_name", f"User{number}"),
            **fields,
        )
        for name in group_names:
            group, _ = Group.objects.get_or_create(name=name)
            user.groups.add(group)
        return user

    return make


@pytest.fixture
def staff_user(portal_site, make_user):
    return make_user(roles.STAFF)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# The page cache switched on for a test, on local memory or on Redis, and a CDN that records purges.


def _redis_cache(url):
    return {
        "BACKEND": "portal.cache.DegradingRedisCache",
        "LOCATION": url,
        # A prefix of its own: the tests never flush the shared Redis database.
        "KEY_PREFIX": f"test-page-cache-{uuid.uuid4().hex}",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 5},
    }


@pytest.fixture(params=["local memory", "redis"])
def page_cache(request, settings):
    """The public page cache and the per-process routing on, over local memory or the test Redis."""
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
        settings.CACHES = {"default": _redis_cache(os.environ["REDIS_URL"])}
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_ROUTE_CACHE = True
    page_routing.forget()
    prebuilt.forget()
    yield request.param
    if request.param == "redis":
        client = cache._cache.get_client()
        prefix = settings.CACHES["default"]["KEY_PREFIX"]
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    page_routing.forget()
    prebuilt.forget()


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": "tests.portal.factories.RecordingBackend"}}
    PURGED.clear()
    yield PURGED
    PURGED.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Make changes as a committed transaction would: what waits for the commit runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
