"""An import started from the admin: the upload kept privately, its progress in the cache and the database.

The admin page keeps the upload under ``PARTNERSHIP_IMPORT_DIR`` (by default
``PRIVATE_ROOT/imports``, outside the public media root, which web and worker share) under a random token, and hands
the token to a Celery task that reads and checks it (``check``): a file is never
parsed inside a web request, where a hostile one could hold a web worker. When the
file has headings the import does not know, the check stops at ``MAPPING`` for the
register manager to say which column each holds (``mapping``), and then runs again.
The check leaves the preview, or the file's problems, in the job's state for the
progress page to show. When the register manager confirms, a second task checks the
file again (the register may have changed since the preview), applies it all or
nothing (``run``), and leaves its progress and result there too.

The state lives in the cache under ``import:<token>`` and in the import's
``RegisterImport`` record, which is the history: the progress page falls back to the
record when the cache has lost the state. The file is kept with its record, for the
register managers to download; uploads never confirmed are marked cancelled after a day.
"""

import datetime
import logging
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import ModelLogEntry

from partnerships.backfill.services import Approval
from partnerships.models import BACKFILL_PERMISSION, RegisterImport

from . import history
from .mapping import remembered
from .service import check_file, import_file

logger = logging.getLogger(__name__)

STATE_TIMEOUT = 24 * 60 * 60
STALE_AFTER = 24 * 60 * 60
PROGRESS_INTERVAL = 0.5  # seconds between progress writes to the cache
EXTENSIONS = (".csv", ".xlsx", ".txt")

CHECKING, MAPPING, PREVIEWED, CANCELLED = "checking", "mapping", "previewed", "cancelled"
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
    state = cache.get(state_key(token))
    if state is None:
        state = history.saved_state(token)
        if state is not None:
            cache.set(state_key(token), state, timeout=STATE_TIMEOUT)
    return state


def set_state(token, **changes):
    state = {**(get_state(token) or {}), **changes}
    cache.set(state_key(token), state, timeout=STATE_TIMEOUT)
    history.save_state(token, state)
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
    _sweep()
    stored = f"{token}{suffix if suffix in EXTENSIONS else '.upload'}"
    with open(folder / stored, "wb") as destination:
        for chunk in uploaded_file.chunks():
            destination.write(chunk)
    filename = Path(uploaded_file.name or "upload").name[:200]
    RegisterImport.objects.create(token=token, user=user, filename=filename, stored_name=stored)
    set_state(
        token,
        status="uploaded",
        owner=user.pk,
        filename=filename,
        stored=stored,
        create_partners=bool(create_partners),
        backfill=backfill.log_data() if backfill is not None else None,
        done=0,
        total=0,
    )
    return token


def _sweep():
    """Uploads left at their preview or column mapping for a day were never confirmed: the history says cancelled."""
    cutoff = timezone.now() - datetime.timedelta(seconds=STALE_AFTER)
    for token in RegisterImport.objects.filter(
        outcome=RegisterImport.Outcome.IN_PROGRESS, started_at__lt=cutoff, state__status__in=[MAPPING, PREVIEWED]
    ).values_list("token", flat=True):
        set_state(token.hex, status=CANCELLED)


def stored_file(token):
    """The uploaded file of an import, kept privately with its history."""
    state = get_state(token)
    return _path(token, state) if state and state.get("stored") else None


def check(token):
    """The check task's body: read and check the stored file; stop for the column mapping, or leave its preview."""
    state = get_state(token)
    if not state or state.get("status") != CHECKING:
        return
    path = _path(token, state)
    if not path.exists():
        set_state(token, status=FAILED, message="The uploaded file is no longer here; upload it again.")
        return
    set_state(token, stage="reading", done=0, total=0)
    try:
        plan = check_file(path.read_bytes(), state["filename"], progress=CacheProgress(token), **_options(state))
    except Exception:
        logger.exception("Checking register import %s failed", token)
        set_state(token, status=FAILED, message=f"The file could not be checked {UNEXPECTED}")
        return
    unknown = [heading for heading in plan.headings or () if heading["field"] is None]
    if unknown and not state.get("mapped"):
        set_state(token, status=MAPPING, headings=plan.headings, summary=plan.summary())
        return
    summary = plan.summary()
    if plan.is_valid:
        set_state(token, status=PREVIEWED, summary=summary, done=0, total=plan.row_count)
    else:
        set_state(token, status=INVALID, summary=summary)


def _options(state):
    user = get_user_model().objects.filter(pk=state["owner"]).first()
    return {
        "user": user,
        "create_partners": state["create_partners"],
        "mapping": {**remembered(), **(state.get("mapping") or {})},
        "allow_duplicates": state.get("allow_duplicates") or (),
    }


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
        return
    set_state(token, status=RUNNING, stage="checking", done=0)
    path = _path(token, state)
    if not path.exists():
        set_state(token, status=FAILED, message="The uploaded file is no longer here; upload it again.")
        return
    options = _options(state)
    try:
        plan, result = import_file(
            path.read_bytes(),
            state["filename"],
            progress=CacheProgress(token),
            log_uuid=uuid.UUID(token),
            backfill=_backfill(state, options["user"]),
            **options,
        )
    except Exception:
        logger.exception("Register import %s failed", token)
        set_state(token, status=FAILED, message=f"The import stopped {UNEXPECTED}")
        return
    if result is None:
        set_state(token, status=INVALID, summary=plan.summary())
    else:
        set_state(token, status=DONE, result=result.as_dict(), summary=plan.summary(row_limit=0))


def _backfill(state, user):
    """The declared back-fill, only while its maker still holds the register managers' back-fill permission."""
    if not state.get("backfill") or user is None or not user.has_perm(BACKFILL_PERMISSION):
        return None
    return Approval.from_data(state["backfill"])


def _already_applied(token):
    return ModelLogEntry.objects.filter(uuid=uuid.UUID(token)).exists()
