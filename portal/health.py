"""Checks behind /healthz: the database must answer; a cache or broker that does not is "degraded".

The portal keeps serving pages without Redis (the cache degrades to a miss, the outbox
keeps notifications until the broker is back), so only the database makes it unavailable.

A failure is described by its dependency and the class of its error only: exception
messages name hosts, ports, roles and addresses, so they go to the log, never the body.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.crypto import constant_time_compare

logger = logging.getLogger(__name__)
TOKEN_HEADER = "X-Healthz-Token"  # noqa: S105 (a header name, not a secret)

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"
ESSENTIAL = {"database"}


def _timed(name, check):
    started = time.monotonic()
    try:
        detail = check()
        ok = True
    except Exception as error:  # any failure of a dependency is reported, never raised
        logger.warning("healthz: %s check failed", name, exc_info=True)
        detail, ok = type(error).__name__, False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache():
    backend = caches["default"]
    if hasattr(backend, "check"):
        backend.check()  # through Redis itself: the backend's own reads and writes never fail
    else:
        backend.set("healthz", "1", 5)
        if backend.get("healthz") != "1":
            raise RuntimeError("cache did not return the value just stored")
    return backend.__class__.__name__


def check_broker():
    if not settings.REDIS_URL:
        return "not configured: tasks run in-process"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
    finally:
        client.close()
    return "redis"


def run_checks():
    return {
        "database": _timed("database", check_database),
        "cache": _timed("cache", check_cache),
        "broker": _timed("broker", check_broker),
    }


def overall(checks):
    """ok; degraded (serving, without the cache or broker); unavailable (the database is down)."""
    if not all(checks[name]["ok"] for name in ESSENTIAL if name in checks):
        return UNAVAILABLE
    return OK if all(check["ok"] for check in checks.values()) else DEGRADED


def may_see_details(request):
    """The configured token in the X-Healthz-Token header, or (if allowed) a caller on this machine.

    Behind a reverse proxy every caller looks local, so deployments there keep
    HEALTHZ_TRUST_LOCALHOST off and give their monitoring the token.
    """
    token = settings.HEALTHZ_TOKEN
    if token and constant_time_compare(request.headers.get(TOKEN_HEADER, ""), token):
        return True
    if settings.HEALTHZ_TRUST_LOCALHOST:
        try:
            return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            return False
    return False
