"""A Redis cache that degrades to a miss when Redis is down, instead of failing the request.

Wagtail reads site root paths (and we read and write a few other keys) through the
cache on every page; Django's ``RedisCache`` raises when Redis is unreachable, which
would answer 500 for every page. Here a connection error or timeout is a miss (reads
return the default, writes do nothing), logged once when Redis goes away and once
when it is back. After a failure Redis is left alone for ``retry_after`` seconds, so a
frozen server costs one short socket timeout per process, not one per cache call.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class RedisDown(Exception):
    """Raised inside the backend while Redis is being left alone; never leaves it."""


def _tolerant(on_error):
    """Run the RedisCache method; on a connection error, return ``on_error(*args)`` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                self._raise_if_resting()
                result = method(self, *args, **kwargs)
            except (*UNREACHABLE, RedisDown) as error:
                self._went_down(error)
                return on_error(*args, **kwargs)
            self._came_back()
            return result

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _default(key, default=None, *args, **kwargs):
    return default


def _false(*args, **kwargs):
    return False


def _empty(*args, **kwargs):
    return {}


def _no_failed_keys(*args, **kwargs):
    return []


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable)")


class DegradingRedisCache(RedisCache):
    """Django's RedisCache, with every read and write tolerant of an unreachable Redis."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._resting_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    def _raise_if_resting(self):
        if self._down and time.monotonic() < self._resting_until:
            raise RedisDown

    def _went_down(self, error):
        if isinstance(error, RedisDown):
            return
        with self._lock:
            self._resting_until = time.monotonic() + self.retry_after
            if not self._down:
                self._down = True
                # Once per outage: a dead Redis would otherwise log on every cache call.
                logger.warning("Cache unreachable, serving without it: %s: %s", type(error).__name__, error)

    def _came_back(self):
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    logger.warning("Cache reachable again")

    @property
    def is_down(self):
        return self._down

    def check(self):
        """Write and read a key through Redis itself, raising if it does not answer (for /healthz)."""
        key = self.make_and_validate_key("healthz")
        self._cache.set(key, "1", 5)
        if self._cache.get(key) != "1":
            raise RuntimeError("cache did not return the value just stored")

    add = _tolerant(_false)(RedisCache.add)
    get = _tolerant(_default)(RedisCache.get)
    set = _tolerant(_none)(RedisCache.set)
    touch = _tolerant(_false)(RedisCache.touch)
    delete = _tolerant(_false)(RedisCache.delete)
    get_many = _tolerant(_empty)(RedisCache.get_many)
    has_key = _tolerant(_false)(RedisCache.has_key)
    incr = _tolerant(_missing)(RedisCache.incr)
    set_many = _tolerant(_no_failed_keys)(RedisCache.set_many)
    delete_many = _tolerant(_none)(RedisCache.delete_many)
    clear = _tolerant(_false)(RedisCache.clear)
