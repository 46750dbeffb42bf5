"""A limit on reports per client, so one address cannot flood the register managers' inboxes."""

from django.conf import settings
from django.core.cache import cache

from portal.signin.throttle import client_ip

WINDOW_SECONDS = 60 * 60


def _key(request):
    return f"public-report:{client_ip(request) or 'unknown'}"


def is_allowed(request):
    """Whether this client may send another report within the hour."""
    return (cache.get(_key(request)) or 0) < settings.PUBLIC_REPORTS_PER_HOUR


def count(request):
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, WINDOW_SECONDS)
