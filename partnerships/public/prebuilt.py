"""The open-data files built once per change of the register, then served from memory.

Building ``register.csv`` reads and formats every public entry: seconds of CPU for
10,000 entries. Under load, repeat downloads rebuilding the same bytes took the
threads that pages need. Each process keeps the last file it built, with the key it
was built under:

- a *generation* token in the shared cache, replaced after any change to the
  register's data is committed (see ``apps.py``: saves, deletions, publishing and
  unpublishing of anything in this app), so every process sees the change;
- the number of public entries and the newest publication, read in one query on
  each download, which also catches changes made without signals (bulk updates);
- today's date, so nothing built yesterday outlives the day.

When the shared cache is unreachable there is no generation to trust: the file is
then built for that request as before, never served from a copy that may be stale.
One thread per process builds while others wanting the same file wait for it,
rather than each building its own.
"""

import threading
import uuid

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from portal.cache import renew_after_commit

from .fields import public_queryset

GENERATION_KEY = "partnerships:opendata:generation"
SLICE = 64 * 1024

_locks_lock = threading.Lock()
_locks = {}  # kind -> the lock its builder holds
_built = {}  # kind -> (key, bytes)


def generation():
    """The shared generation token, made on first use; None when the cache cannot hold one."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def invalidate():
    """After the current transaction commits, make every process build the files afresh."""
    renew_after_commit(GENERATION_KEY)


def fingerprint():
    """(number of public entries, newest publication): one aggregate query."""
    figures = public_queryset().aggregate(count=Count("pk"), newest=Max("last_published_at"))
    return figures["count"], figures["newest"]


def get_or_build(kind, build, state=None):
    """The bytes of file ``kind``, from this process's copy while the register is unchanged.

    ``build`` returns an iterable of bytes chunks; ``state`` is ``fingerprint()`` when
    the caller has it already. Returns an iterable of bytes either way.
    """
    token = generation()
    if token is None:
        return build()
    key = (token, state or fingerprint(), timezone.localdate())
    with _locks_lock:
        lock = _locks.setdefault(kind, threading.Lock())
    with lock:
        held = _built.get(kind)
        if held and held[0] == key:
            return _slices(held[1])
        data = b"".join(build())
        _built[kind] = (key, data)
    return _slices(data)


def _slices(data):
    view = memoryview(data)
    return (bytes(view[start : start + SLICE]) for start in range(0, len(data), SLICE))


def forget():
    """Drop this process's copies (tests; a process that must free the memory)."""
    with _locks_lock:
        _built.clear()
