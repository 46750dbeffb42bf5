"""A Redis cache that is down is a miss, logged once; pages keep serving (portal/cache.py)."""

import logging
import socket
import time

import pytest
from django.core.cache import cache, caches
from django.test import override_settings

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
