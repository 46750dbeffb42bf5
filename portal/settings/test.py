"""Test settings: fast hashing, mail kept in memory, Wagtail tasks run inline."""

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
# Unit tests run tasks in-process even when REDIS_URL is set; the integration tests'
# real-worker fixture switches this off for the tests that need a worker.
CELERY_TASK_ALWAYS_EAGER = True
OUTBOX_HAND_ON_COMMIT = True
# Tests serve static files from the apps (as runserver does) and never collect them:
# without a STATIC_ROOT, WhiteNoise does not warn on every request that it is missing.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Tests run in transactions that never commit, so the public generation never moves on:
# pages and routes are kept only in the tests of the page cache, which turn these on.
PUBLIC_PAGE_CACHE = False
PUBLIC_ROUTE_CACHE = False
