"""Production settings, served by gunicorn for the benchmark only.

Everything secret or host-specific comes from the environment that ``__main__``
builds (a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=false,
the bench database); this module only points static and media files at the
bench's own temporary folders and adds the ceiling view's URL.
"""

import os
from pathlib import Path

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
MEDIA_ROOT = Path(os.environ["BENCH_MEDIA_ROOT"])

if os.environ.get("BENCH_CACHE_PREFIX"):
    # The developer's Redis, under keys of this run only: nothing cached by another run is served.
    CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]  # noqa: F405
