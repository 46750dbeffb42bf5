"""Production: HTTPS only, secrets required, static files hashed and compressed."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, os, require_secret_key

DEBUG = False
SECRET_KEY = require_secret_key(SECRET_KEY)

# TLS terminates at the load balancer in front of gunicorn, which sets this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# /healthz is probed over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's admin previews pages in a same-origin iframe, so frames stay
# SAMEORIGIN (set in base.py) and Django's advice to use DENY is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# --- Sign-in security: the load balancer above appends the client's address to
# X-Forwarded-For; throttling reads it there (portal/signin/throttle.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
