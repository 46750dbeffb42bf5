"""Settings for the outbox fault tests' worker and beat: the portal as production runs it with a broker.

Tasks go through Redis (not in-process), requests only write outbox rows, and mail goes
over SMTP to the test's fake server. Timings are shortened by environment variables
the test sets (read in portal/settings/base.py), not here.
"""

import os

from portal.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
OUTBOX_HAND_ON_COMMIT = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("FAKE_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 5
