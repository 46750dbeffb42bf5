"""Checks behind /healthz: each configured dependency answers, or the portal is unavailable."""

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
        ok = True
    except Exception as error:  # any failure of a dependency is reported, never raised
        detail, ok = f"{type(error).__name__}: {error}", False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    cache.set("healthz", "1", 5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just stored")
    return caches["default"].__class__.__name__  # `cache` itself is a proxy


def check_broker():
    if not settings.REDIS_URL:
        return "not configured: tasks run in-process"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def run_checks():
    return {
        "database": _timed(check_database),
        "cache": _timed(check_cache),
        "broker": _timed(check_broker),
    }
