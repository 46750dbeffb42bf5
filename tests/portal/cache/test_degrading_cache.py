"""A Redis cache that is down is a miss, logged once; pages keep serving; new generations wait for it."""

import logging
import socket
import time

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from partnerships.public import prebuilt
from portal import page_cache
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_redis_cache():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # released: nothing listens there
    settings = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 5},
        }
    }
    with override_settings(CACHES=settings):
        yield caches["default"]


def test_every_read_and_write_is_a_miss_and_the_outage_is_logged_once(dead_redis_cache, caplog):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        assert cache.get("key") is None
        assert cache.get("key", "fallback") == "fallback"
        cache.set("key", "value")
        assert cache.add("key", "value") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == []
        assert cache.has_key("key") is False
        assert cache.delete("key") is False
        cache.delete_many(["a", "b"])
        assert cache.get_or_set("key", "computed") == "computed"
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")
    assert time.monotonic() - started < 2
    assert [record.getMessage()[:30] for record in caplog.records] == ["Cache unreachable, serving wit"]
    assert dead_redis_cache.is_down
    with pytest.raises(Exception, match="(?i)connect"):
        dead_redis_cache.check()  # /healthz still sees the truth


def test_public_pages_answer_200_without_redis(portal_site, client, dead_redis_cache):
    for path in ("/", "/partnerships/"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_a_live_redis_is_used_as_usual(settings):
    redis_url = settings.REDIS_URL
    if not redis_url:
        pytest.skip("needs REDIS_URL")
    with override_settings(CACHES={"default": {"BACKEND": "portal.cache.DegradingRedisCache", "LOCATION": redis_url}}):
        key = f"degrading-cache-test-{time.monotonic_ns()}"
        cache.set(key, "value", 30)
        assert cache.get(key) == "value"
        assert cache.incr(f"{key}-n", 1) if cache.add(f"{key}-n", 0, 30) else True
        cache.delete_many([key, f"{key}-n"])
        assert not caches["default"].is_down


def test_a_transaction_renews_the_generations_once_however_many_rows_it_saves(
    settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    writes = []
    backend = caches["default"]
    original = backend.set_many
    backend.set_many = lambda data, *args, **kwargs: writes.append(sorted(data)) or original(data, *args, **kwargs)
    page_cache.current_generation()
    before = cache.get(page_cache.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(40):  # a submit saves dozens of rows, each telling both caches
            page_cache.public_content_changed()
            prebuilt.invalidate()
    assert writes == [sorted([page_cache.GENERATION_KEY, prebuilt.GENERATION_KEY])]
    assert cache.get(page_cache.GENERATION_KEY) not in {None, before}


def test_a_generation_renewed_while_redis_is_unreachable_is_written_before_the_cache_is_used_again(
    settings,
):
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    prefix = f"degrading-cache-test-{time.monotonic_ns()}"
    settings.CACHES = {
        "default": {"BACKEND": "portal.cache.DegradingRedisCache", "LOCATION": settings.REDIS_URL, "KEY_PREFIX": prefix}
    }
    backend = caches["default"]
    backend.set("generation", "before the outage", None)
    backend._circuit.open(RedisConnectionError("as if Redis had gone"), backend)
    try:
        backend.set_many_surely({"generation": "renewed during the outage"}, timeout=None)
        assert backend.get("generation") is None  # a miss: nothing is read or written meanwhile
        assert backend._cache.get(backend.make_and_validate_key("generation"), None) == "before the outage"
        wait_for(lambda: not backend.is_down, message="the cache to be used again")
        assert backend.get("generation") == "renewed during the outage"
    finally:
        backend.delete("generation")
