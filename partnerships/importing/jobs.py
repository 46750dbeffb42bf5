"""An import started from the admin: the upload kept between preview and confirm, progress in the cache.

The admin page keeps the upload under ``PARTNERSHIP_IMPORT_DIR`` (by default
``PRIVATE_ROOT/imports``, outside the public media root, which web and worker share) under a random token, and hands
the token to a Celery task that reads and checks it (``check``): a file is never
parsed inside a web request, where a hostile one could hold a web worker. The
check leaves the preview, or the file's problems, in the cache under
``import:<token>`` for the progress page to show. When the register manager
confirms, a second task checks the file again (the register may have changed since
the preview), applies it all or nothing (``run``), and leaves its progress and
result there too. The file is deleted as soon as it is refused, imported or fails,
and stale uploads that were never confirmed are swept on the next upload.
"""

import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from partnerships.backfill.services import Approval

from .service import check_file, import_file

logger = logging.getLogger(__name__)

STATE_TIMEOUT = 24 * 60 * 60
STALE_AFTER = 24 * 60 * 60
PROGRESS_INTERVAL = 0.5  # seconds between progress writes to the cache
EXTENSIONS = (".csv", ".xlsx", ".txt")

CHECKING, PREVIEWED = "checking", "previewed"
QUEUED, RUNNING, DONE, INVALID, FAILED = "queued", "running", "done", "invalid", "failed"
FINISHED = (DONE, INVALID, FAILED)
IN_PROGRESS = (CHECKING, QUEUED, RUNNING)
UNEXPECTED = "because of an unexpected error, and nothing was saved. Try again, or ask for help if it happens again."


def import_dir():
    configured = getattr(settings, "PARTNERSHIP_IMPORT_DIR", "")
    return Path(configured) if configured else Path(settings.PRIVATE_ROOT) / "imports"


def state_key(token):
    return f"import:{token}"


def get_state(token):
    return cache.get(state_key(token))


def set_state(token, **changes):
    state = {**(get_state(token) or {}), **changes}
    cache.set(state_key(token), state, timeout=STATE_TIMEOUT)
    return state


def _path(token, state):
    return import_dir() / state["stored"]


def store_upload(uploaded_file, *, user, create_partners, backfill=None):
    """Keep an uploaded file under a new token; returns the token.

    ``backfill``: the ``Approval`` to record for rows already in force, kept as plain data.
    """
    token = uuid.uuid4().hex
    suffix = Path(uploaded_file.name or "").suffix.lower()
    folder = import_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _sweep(folder)
    stored = f"{token}{suffix if suffix in EXTENSIONS else '.upload'}"
    with open(folder / stored, "wb") as destination:
        for chunk in uploaded_file.chunks():
            destination.write(chunk)
    set_state(
        token,
        status="uploaded",
        owner=user.pk,
        filename=Path(uploaded_file.name or "upload").name[:200],
        stored=stored,
        create_partners=bool(create_partners),
        backfill=backfill.log_data() if backfill is not None else None,
        done=0,
        total=0,
    )
    return token


def _sweep(folder):
    cutoff = time.time() - STALE_AFTER
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:  # another process got there first
            continue


def discard(token):
    state = get_state(token)
    if state and state.get("stored"):
        _path(token, state).unlink(missing_ok=True)


def check(token):
    """The check task's body: read and check the stored file; keep it, and what it would do, if it can be imported."""
    state = get_state(token)
    if not state or state.get("status") != CHECKING:
        return
    path = _path(token, state)
    if not path.exists():
        set_state(token, status=FAILED, message="The uploaded file is no longer here; upload it again.")
        return
    set_state(token, stage="reading", done=0, total=0)
    user = get_user_model().objects.filter(pk=state["owner"]).first()
    try:
        plan = check_file(
            path.read_bytes(),
            state["filename"],
            user=user,
            create_partners=state["create_partners"],
            progress=CacheProgress(token),
        )
    except Exception:
        logger.exception("Checking register import %s failed", token)
        discard(token)
        set_state(token, status=FAILED, message=f"The file could not be checked {UNEXPECTED}")
        return
    summary = plan.summary()
    if plan.is_valid:
        set_state(token, status=PREVIEWED, summary=summary, done=0, total=plan.row_count)
    else:
        discard(token)
        set_state(token, status=INVALID, summary=summary)


class CacheProgress:
    """Progress for the progress page, written at most every ``PROGRESS_INTERVAL`` seconds."""

    def __init__(self, token):
        self.token = token
        self.last = 0.0

    def __call__(self, stage, done, total):
        now = time.monotonic()
        if done == total or now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            set_state(self.token, stage=stage, done=done, total=total)


def run(token):
    """The Celery task's body: import the stored file for ``token`` and record the outcome.

    Safe to run twice (a worker lost after commit redelivers its task): the import's
    log entries carry the token as their ``uuid``, so a second run sees the first.
    """
    state = get_state(token)
    if not state or state.get("status") in FINISHED:
        return
    if _already_applied(token):
        set_state(token, status=DONE)
        discard(token)
        return
    set_state(token, status=RUNNING, stage="checking", done=0)
    path = _path(token, state)
    if not path.exists():
        set_state(token, status=FAILED, message="The uploaded file is no longer here; upload it again.")
        return
    user = get_user_model().objects.filter(pk=state["owner"]).first()
    try:
        plan, result = import_file(
            path.read_bytes(),
            state["filename"],
            user=user,
            create_partners=state["create_partners"],
            progress=CacheProgress(token),
            log_uuid=uuid.UUID(token),
            backfill=Approval.from_data(state["backfill"]) if state.get("backfill") else None,
        )
    except Exception:
        logger.exception("Register import %s failed", token)
        set_state(token, status=FAILED, message=f"The import stopped {UNEXPECTED}")
        return
    finally:
        path.unlink(missing_ok=True)
    if result is None:
        set_state(token, status=INVALID, summary=plan.summary())
    else:
        set_state(token, status=DONE, result=result.as_dict(), summary=plan.summary(row_limit=0))


def _already_applied(token):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.filter(uuid=uuid.UUID(token)).exists()
