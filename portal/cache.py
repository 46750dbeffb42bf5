"""A Redis cache that degrades to a miss when Redis is down, instead of failing the request.

Wagtail reads site root paths (and we read and write a few other keys) through the
cache on every page; Django's ``RedisCache`` raises when Redis is unreachable, which
would answer 500 for every page. Here a connection error or timeout is a miss (reads
return the default, writes do nothing), logged once when Redis goes away and once
when it is back.

Each process keeps one *circuit* per Redis server, shared by every thread: the first
call that finds Redis dead or frozen waits out one short socket timeout and opens
it; from then on no request touches Redis. A thread of the circuit's own pings Redis
every ``retry_after`` seconds and closes it when Redis answers. So an outage costs a
process one timeout, however long it lasts and however many requests it serves.

Some writes must not be lost to an outage: the generation tokens that make cached
pages and files stale (``renew_after_commit``). Written while Redis is unreachable,
they are owed, and written before the circuit closes again, so no page built before
a change is served once Redis is back.
"""

import functools
import logging
import os
import threading
import time
import uuid

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(on_error):
    """Run the RedisCache method; with Redis unreachable, return ``on_error(*args)`` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._circuit.down:
                return on_error(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._circuit.open(error, self)
                return on_error(*args, **kwargs)

        return wrapper

    return decorate


class _Circuit:
    """Whether one Redis server is reachable, for every thread of this process; what is owed to it."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        self.down = False
        self.owed = {}  # made key -> (client, value, backend timeout), the latest write of each
        self.lock = threading.Lock()

    def forget(self):
        """In a forked child: its parent's probe thread and debts are not its own."""
        self.lock = threading.Lock()
        self.down = False
        self.owed = {}

    def open(self, error, backend):
        with self.lock:
            if self.down:
                return
            self.down = True
        # Once per outage: a dead Redis would otherwise log on every cache call.
        logger.warning("Cache unreachable, serving without it: %s: %s", type(error).__name__, error)
        threading.Thread(target=self._probe, args=(backend._cache,), name="cache-probe", daemon=True).start()

    def owe(self, client, data, timeout):
        with self.lock:
            for key, value in data.items():
                self.owed[key] = (client, value, timeout)

    def _probe(self, client):
        while True:
            time.sleep(self.retry_after)
            try:
                client.get_client(write=True).ping()
                self._pay_what_is_owed()
            except Exception as error:  # whatever stops Redis answering, the probe goes on
                logger.debug("Cache still unreachable: %s: %s", type(error).__name__, error)
                continue
            logger.warning("Cache reachable again")
            return

    def _pay_what_is_owed(self):
        """Write every owed key, then close the circuit, with nothing owed left behind."""
        while True:
            with self.lock:
                owed = dict(self.owed)
                if not owed:
                    self.down = False
                    return
            for key, (client, value, timeout) in owed.items():
                client.set_many({key: value}, timeout)
            with self.lock:
                for key, entry in owed.items():
                    if self.owed.get(key) is entry:
                        del self.owed[key]


_circuits = {}
_circuits_lock = threading.Lock()


def _circuit_for(server, retry_after):
    with _circuits_lock:
        return _circuits.setdefault(str(server), _Circuit(retry_after))


def _forget_circuits_in_child():
    for circuit in _circuits.values():
        circuit.forget()


os.register_at_fork(after_in_child=_forget_circuits_in_child)


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
        retry_after = float(options.pop("retry_after", 1))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._circuit = _circuit_for(server, retry_after)

    @property
    def is_down(self):
        return self._circuit.down

    def check(self):
        """Write and read a key through Redis itself, raising if it does not answer (for /healthz)."""
        key = self.make_and_validate_key("healthz")
        self._cache.set(key, "1", 5)
        if self._cache.get(key) != "1":
            raise RuntimeError("cache did not return the value just stored")

    def set_many_surely(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """``set_many`` now, or, with Redis unreachable, before the cache is used again."""
        made = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        timeout = self.get_backend_timeout(timeout)
        if self._circuit.down:
            self._circuit.owe(self._cache, made, timeout)
            return
        try:
            self._cache.set_many(made, timeout)
        except UNREACHABLE as error:
            self._circuit.owe(self._cache, made, timeout)
            self._circuit.open(error, self)

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


# --- Generation tokens: a new one makes everything cached under the old one stale ---------------


def token(key):
    """The generation token under ``key``, made on first use; None when the cache cannot hold one."""
    backend = caches["default"]
    found = backend.get(key)
    if found is None:
        backend.add(key, uuid.uuid4().hex, timeout=None)
        found = backend.get(key)
    return found


def renew(keys):
    """Give each of ``keys`` a new random token, in one write; kept until Redis answers, if need be."""
    backend = caches["default"]
    tokens = {key: uuid.uuid4().hex for key in keys}
    if isinstance(backend, DegradingRedisCache):
        backend.set_many_surely(tokens, timeout=None)
    else:
        backend.set_many(tokens, timeout=None)


class _Renewal:
    """Keys to renew at the next commit: the first of its callbacks to run writes them all."""

    def __init__(self):
        self.keys = set()
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            renew(sorted(self.keys))


_pending = threading.local()


def renew_after_commit(*keys):
    """Renew ``keys`` once the current transaction commits: one cache write per transaction.

    A request saves dozens of rows and each asks for the renewal. Each registers a
    callback (so a savepoint rolled back takes only its own), and all share one
    renewal that the first to run carries out; a renewal already carried out is
    never joined.
    """
    renewal = getattr(_pending, "renewal", None)
    if renewal is None or renewal.done:
        renewal = _pending.renewal = _Renewal()
    renewal.keys.update(keys)
    # robust: a cache that fails in an unexpected way must not fail the committed change.
    transaction.on_commit(renewal, robust=True)
