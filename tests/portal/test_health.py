"""/healthz: 200 "ok" when the database, cache and broker answer; 200 "degraded" naming the cache or
broker that does not (pages are still served); 503 "unavailable" when the database does not."""

import copy
import socket

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import override_settings

from portal import health

pytestmark = pytest.mark.django_db

REDIS_PASSWORD = "redis-pw-must-not-leak"  # noqa: S105
DATABASE_PASSWORD = "db-pw-must-not-leak"  # noqa: S105
LOCMEM_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def unused_port():
    """A local port where nothing listens: bound once by the OS, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis_url(unused_port):
    # With a password, so the tests can check that it never reaches the response.
    return f"redis://:{REDIS_PASSWORD}@127.0.0.1:{unused_port}/0"


def redis_cache(url):
    return {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }


def get_healthz(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for check in body["checks"].values():
        assert set(check) == {"ok", "detail", "ms"}
    return response, body


def test_healthy_portal_answers_200_with_every_check_ok(client):
    response, body = get_healthz(client)

    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert body["checks"]["database"]["detail"] == connection.vendor
    # A proxy must never serve a stale answer.
    assert "no-cache" in response["Cache-Control"]


def test_broker_down_answers_degraded_and_names_the_broker(client, dead_redis_url):
    with override_settings(REDIS_URL=dead_redis_url, CACHES=LOCMEM_CACHE):
        response, body = get_healthz(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    checks = body["checks"]
    assert checks["broker"]["ok"] is False
    assert "ConnectionError" in checks["broker"]["detail"]
    assert checks["database"]["ok"] is True
    assert checks["cache"]["ok"] is True


def test_redis_down_answers_degraded_naming_cache_and_broker_without_leaking_the_password(client, dead_redis_url):
    with override_settings(REDIS_URL=dead_redis_url, CACHES=redis_cache(dead_redis_url)):
        response, body = get_healthz(client)

    assert response.status_code == 200
    assert body["status"] == "degraded"
    failed = sorted(name for name, check in body["checks"].items() if not check["ok"])
    assert failed == ["broker", "cache"]
    text = response.content.decode()
    assert REDIS_PASSWORD not in text
    assert settings.SECRET_KEY not in text


@pytest.fixture
def unreachable_database(monkeypatch, unused_port):
    """The health check's connection swapped for one to a database that is not there.

    A separate wrapper, so the test's own connection (and its transaction) is untouched.
    """
    real = connections[DEFAULT_DB_ALIAS]
    settings_dict = copy.deepcopy(real.settings_dict)
    if real.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/portal.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(unused_port), PASSWORD=DATABASE_PASSWORD)
    broken = real.__class__(settings_dict, alias="healthz-unreachable")
    monkeypatch.setattr(health, "connection", broken)
    yield broken
    broken.close()


def test_database_down_answers_503_naming_the_database_without_leaking_the_password(client, unreachable_database):
    response, body = get_healthz(client)

    assert response.status_code == 503
    assert body["status"] == "unavailable"
    checks = body["checks"]
    assert checks["database"]["ok"] is False
    assert "OperationalError" in checks["database"]["detail"]
    assert checks["cache"]["ok"] is True
    assert DATABASE_PASSWORD not in response.content.decode()
