"""Background work: the cache, Celery and its queues, the notification outbox, reminders, import limits.

Read by ``base`` (``from .background import *``); every value may come from the environment.
"""

import os

# --- Cache and Celery: Redis when REDIS_URL is set, in-process otherwise ---
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # A dead or frozen Redis is a cache miss (portal/cache.py), never a 500: the first
            # call to find it so waits out a short timeout, then no request touches Redis
            # until a background ping, every retry_after seconds, finds it answering again.
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
# Without a broker the portal runs on a bare machine: tasks execute in-process.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A killed worker's task comes back after this many seconds, not Redis' default hour.
# Tasks are kept well under it (reminders are delivered REMINDER_DELIVERY_BATCH_SIZE at a
# time); one that overruns it is delivered twice, which the outbox makes harmless.
# Short socket timeouts: a frozen broker costs a worker or beat a second, not minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "120")),
    "socket_timeout": 2,
    "socket_connect_timeout": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Single notifications and the outbox relay have a queue of their own, so a long
# reminder sweep queued on "celery" cannot hold up a proposal's email: a worker
# consumes both (-Q celery,notifications).
NOTIFICATIONS_QUEUE = "notifications"
CELERY_TASK_ROUTES = {
    "workflows.tasks.send_notification": {"queue": NOTIFICATIONS_QUEUE},
    "workflows.tasks.relay_notifications": {"queue": NOTIFICATIONS_QUEUE},
}

# --- The notification outbox (workflows/notifications.py) ---
# Whether the process that commits a notification hands it to Celery itself. Without a
# broker Celery runs the task in-process, so it is sent on commit; with one, requests
# only write the row and the relay (beat, every few seconds) hands it on, so a request
# never waits on the broker.
OUTBOX_HAND_ON_COMMIT = CELERY_TASK_ALWAYS_EAGER
# A row handed to the queue but still pending after this long is handed on again
# (its message was lost with a Redis that restarted empty, or its worker died).
OUTBOX_REHAND_AFTER_SECONDS = int(os.environ.get("OUTBOX_REHAND_AFTER_SECONDS", "30"))
# A row marked "sending" this long ago whose worker never marked it sent (killed during
# the SMTP conversation) is sent again, with the same Message-ID. Longer than an SMTP
# conversation can take (EMAIL_TIMEOUT per step).
NOTIFICATION_SENDING_TIMEOUT_SECONDS = int(os.environ.get("NOTIFICATION_SENDING_TIMEOUT_SECONDS", "60"))
# A failed email is tried again after this many seconds, doubling to at most the cap,
# so a mail relay that comes back is used within a minute; after the last attempt the
# row is "failed" and shown to register managers in the admin.
NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "10"))
NOTIFICATION_RETRY_MAX_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS", "45"))
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "60"))

# --- Review-due reminders (workflows/reminders/) ---
# Days before a due date on which the lead officer (or a page's owner) is reminded; 0 is the day itself.
REMINDER_OFFSETS_DAYS = [30, 7, 0]
# Days after a due date when an overdue item is escalated to the Head of Service.
ESCALATION_AFTER_DAYS = 14
# The weekday (Monday is 0) of register managers' weekly digest of what is overdue.
REMINDER_DIGEST_WEEKDAY = 0
# Entries the sweep reads at a time.
REMINDER_BATCH_SIZE = 1000
# Reminders one delivery task sends: small, so a task runs well inside the visibility timeout.
REMINDER_DELIVERY_BATCH_SIZE = 100
# A pause between reminder emails, for a mail relay that limits the sending rate.
REMINDER_SEND_DELAY_MS = int(os.environ.get("REMINDER_SEND_DELAY_MS", "0"))

# --- Register import limits (partnerships/importing/limits.py) ---
# Each refuses a file with a message naming it. Together they keep a worker reading
# the largest file taken under 200 MB, whatever the file declares about itself.
PARTNERSHIP_IMPORT_MAX_BYTES = 10 * 1024 * 1024  # the upload
PARTNERSHIP_IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an XLSX's parts, unzipped
PARTNERSHIP_IMPORT_MAX_ROWS = 10_000  # entries under the heading row
PARTNERSHIP_IMPORT_MAX_COLUMNS = 60
PARTNERSHIP_IMPORT_MAX_SECONDS = 60  # reading the file, in the worker

# Wagtail's own background work (search index, reference index) runs inline: during a
# request, once per object after the view has answered (portal/index_batching.py).
TASKS = {"default": {"BACKEND": "portal.index_batching.BatchingImmediateBackend"}}
