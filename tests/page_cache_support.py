"""The page cache switched on for a test, on local memory or on Redis, and a CDN that records purges."""

import os
import uuid

import pytest
from django.core.cache import cache
from wagtail.contrib.frontend_cache.backends import BaseBackend

from partnerships.public import prebuilt
from portal import page_routing

PURGED = []


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge: the real ones are outside this machine."""

    def purge(self, url):
        PURGED.append(url)


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
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": "tests.page_cache_support.RecordingBackend"}}
    PURGED.clear()
    yield PURGED
    PURGED.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Make changes as a committed transaction would: what waits for the commit runs at the end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def was_cached(response):
    return response.get("X-Page-Cache") == "hit"
