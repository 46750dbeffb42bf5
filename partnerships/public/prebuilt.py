"""The open-data files built once per change of the register, kept on disk and sent from there.

Building ``register.csv`` reads and formats every public entry: seconds of CPU for
10,000 entries. So the whole-register files are written once to ``OPEN_DATA_ROOT``
(under the private folder: no URL maps onto it, the register page's routes hand the
files out, so page privacy still applies) and every process of every server sharing
that folder sends the same file, by sendfile under gunicorn. A file's name carries
the key it was built under:

- a *generation* token in the shared cache, replaced after any change to the
  register's data is committed (see ``cache_invalidation.py``: saves, deletions, publishing and
  unpublishing of anything in this app), so every process sees the change;
- the number of public entries and the newest publication, read in one query on
  each download, which also catches changes made without signals (bulk updates);
- today's date, so nothing built yesterday outlives the day.

A file is written to a temporary name in the same folder and renamed into place when
complete, so no reader ever opens half of one. One process builds a kind of file at
a time (an advisory lock on the folder's ``.lock`` file); the others wanting it wait,
then send what it built rather than building their own. Files of earlier keys are
removed by the next build once ``OPEN_DATA_KEEP_SECONDS`` old; a download already
sending one finishes from its open file.

When the shared cache is unreachable there is no generation to trust: the file is
then built for that request as before, never served from a copy that may be stale.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from portal.cache import renew_after_commit, token

from .fields import public_queryset

GENERATION_KEY = "partnerships:opendata:generation"
STEM = "register"


class Built(NamedTuple):
    """A prebuilt file opened for reading, with what its response's validators need."""

    file: object  # an open binary file; the response closes it
    tag: str  # the key it was built under: its ETag
    modified: datetime  # when it was written: its Last-Modified


def generation():
    """The shared generation token, made on first use; None when the cache cannot hold one."""
    return token(GENERATION_KEY)


def invalidate():
    """After the current transaction commits, make every process build the files afresh."""
    renew_after_commit(GENERATION_KEY)


def fingerprint():
    """(number of public entries, newest publication): one aggregate query."""
    figures = public_queryset().aggregate(count=Count("pk"), newest=Max("last_published_at"))
    return figures["count"], figures["newest"]


def current_key(state=None):
    """The key the files of the register as it is now are built under; None without a shared generation."""
    shared = generation()
    if shared is None:
        return None
    count, newest = state or fingerprint()
    parts = (shared, str(count), newest.isoformat() if newest else "", timezone.localdate().isoformat())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def directory():
    return Path(settings.OPEN_DATA_ROOT)


def path_for(kind, key):
    """Where file ``kind`` (``csv``, ``json``) built under ``key`` is kept."""
    return directory() / f"{STEM}-{key}.{kind}"


def open_prebuilt(kind, build, state=None):
    """File ``kind`` for the register as it is, opened; built first if nobody has built it yet.

    ``build`` returns an iterable of bytes chunks; ``state`` is ``fingerprint()`` when
    the caller has it already. None when there is no generation to trust (or the file
    vanished as it was made): the caller then builds the file for its own request.
    """
    key = current_key(state)
    if key is None:
        return None
    path = path_for(kind, key)
    found = _open(path, key)
    if found is not None:
        return found
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(path.parent / f".{STEM}.{kind}.lock"):
        found = _open(path, key)  # built by another process while this one waited
        if found is None:
            _write(path, build(), _next_stamp(kind))
            _remove_old(kind, keep=path)
            found = _open(path, key)
    return found


def _open(path, key):
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None
    modified = datetime.fromtimestamp(os.fstat(handle.fileno()).st_mtime, tz=UTC)
    return Built(handle, key, modified)


@contextlib.contextmanager
def _exclusive(lock_path):
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _next_stamp(kind):
    """A whole second later than any file of ``kind`` built before: its Last-Modified.

    HTTP dates count whole seconds; a file rebuilt within the second of the one a client
    holds must still be newer, or If-Modified-Since would answer 304 for changed content.
    """
    stamp = int(time.time())
    for old in directory().glob(f"{STEM}-*.{kind}"):
        with contextlib.suppress(FileNotFoundError):
            stamp = max(stamp, int(old.stat().st_mtime) + 1)
    return stamp


def _write(path, chunks, stamp):
    """Write the chunks to a temporary file beside ``path``, then rename it into place, complete."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.utime(temporary, (stamp, stamp))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _remove_old(kind, keep):
    """Remove files of ``kind`` built under earlier keys, and parts a killed builder left, once old enough."""
    cutoff = time.time() - getattr(settings, "OPEN_DATA_KEEP_SECONDS", 300)
    for pattern in (f"{STEM}-*.{kind}", f".{STEM}-*.{kind}.*.part"):
        for old in keep.parent.glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                if old != keep and old.stat().st_mtime < cutoff:
                    old.unlink()


def forget():
    """Remove every prebuilt file (tests; freeing the disk): the next download builds afresh."""
    folder = directory()
    for pattern in (f"{STEM}-*", f".{STEM}-*.part"):
        for old in folder.glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
