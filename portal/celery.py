"""The Celery app: worker and beat of the portal run from this module."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

RELAY_EVERY_SECONDS = 3.0

# The one beat schedule, in code. Crontab times are wall-clock times in CELERY_TIMEZONE
# (Europe/London), so the sweep runs at 07:00 in GMT and in BST alike, including on the
# days the clocks change; 07:00 is clear of the hour that repeats or is skipped (01:00–02:00).
app.conf.beat_schedule = {
    "review-reminders-daily": {
        "task": "workflows.tasks.send_review_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # The outbox relay: notifications reach the queue within seconds of their commit,
    # and of the broker's return after an outage.
    "relay-notifications": {
        "task": "workflows.tasks.relay_notifications",
        "schedule": RELAY_EVERY_SECONDS,
    },
}
