"""Settings shared by every environment.

Production-safe by default: DEBUG is off and every secret comes from the
environment. ``dev.py``, ``test.py`` and ``production.py`` layer on top.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_tasks",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Our apps come after wagtail.admin: workflows disconnects Wagtail's
    # in-request workflow emails in ready(), which only works once they exist.
    "portal",
    "partnerships",
    "partnerships.screening",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of the portal's own: the index upkeep runs after the view's transaction.
    "portal.index_batching.WagtailTaskBatchMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in and intranet responses: Cache-Control private, no-store.
    "portal.privacy.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_chrome",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    # The embedded default: one SQLite file in the ignored var/ folder.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive a lead, a Head and the Board working at once. WAL lets
    # readers carry on while one request writes; IMMEDIATE takes the write lock when a
    # transaction begins, so two writers queue for up to `timeout` seconds rather than one
    # failing with "database is locked" when its read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database should make /healthz answer 503, not hang.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/intranet/"
LOGOUT_REDIRECT_URL = "/"
# Page privacy sends anonymous visitors to our GOV.UK-styled sign-in page
# rather than Wagtail's bare /_util/login/.
WAGTAIL_FRONTEND_LOGIN_URL = "/sign-in/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# portal/static is found through the portal app (AppDirectoriesFinder).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files nobody may download by URL: uploaded register imports wait here between preview and
# confirm. Outside MEDIA_ROOT, so no web server mapping of /media/ can ever reach them.
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
PARTNERSHIP_IMPORT_DIR = os.environ.get("PARTNERSHIP_IMPORT_DIR", str(PRIVATE_ROOT / "imports"))
# The register's open-data files (register.csv, register.json), built once per change and sent
# from here by the register page's routes, which check page privacy first. Every web process
# and server must share this folder (the private volume does), or each builds its own copy.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", PRIVATE_ROOT / "open-data"))
# A file built for an earlier state of the register is removed by a later build this long after.
OPEN_DATA_KEEP_SECONDS = 300
# Documents are always handed out by Wagtail's document view (/documents/<id>/<name>), which
# checks the collection's view restriction first, never by a redirect to their file's URL.
# Under MEDIA_ROOT only image renditions are served (portal/urls.py): never documents/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.storage.PortalStaticFilesStorage"},
}

# Background work (cache, Celery, outbox, reminders, import limits): settings/background.py.
from .background import *  # noqa: E402, F403

CELERY_TIMEZONE = TIME_ZONE

# --- Email ---
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "partnerships@council.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The contact the public register gives for an entry unless the council names the lead officer.
PARTNERSHIPS_TEAM_EMAIL = os.environ.get("PARTNERSHIPS_TEAM_EMAIL", DEFAULT_FROM_EMAIL)
PARTNERSHIPS_TEAM_NAME = os.environ.get("PARTNERSHIPS_TEAM_NAME", "Partnerships team")

# --- Wagtail ---
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Partnerships Portal")
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Anytown District Council")
# The portal's public address, the one setting behind every absolute URL: the Wagtail Site's
# hostname and port (setup_portal writes them), the sitemap, the API, links in emails.
# WAGTAILADMIN_BASE_URL is read as well, for installations set up before this setting.
PORTAL_BASE_URL = (
    os.environ.get("PORTAL_BASE_URL") or os.environ.get("WAGTAILADMIN_BASE_URL") or "http://127.0.0.1:8000"
).rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
if urlsplit(PORTAL_BASE_URL).hostname not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(urlsplit(PORTAL_BASE_URL).hostname)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_BASE_URL = PORTAL_BASE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Security headers, safe everywhere ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail's inline tasks log every run at INFO: noise, not news.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs each step of drawing a PDF (and of loading its own stylesheet) at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}


# --- Security headers and hardening (README "Security headers"; "Health check") ---
# Kept in one block: CSP and Permissions-Policy middleware go straight after
# SecurityMiddleware, so every response (static files and downloads too) carries both.
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402 (templates use request.csp_nonce)

INSTALLED_APPS += ["csp"]  # its system checks catch settings in django-csp's old format
MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 : 0] = [
    "portal.headers.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]

_CSP_COMMON = {
    "default-src": [SELF],
    "connect-src": [SELF],
    "font-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # Wagtail previews pages in a same-origin frame (as X_FRAME_OPTIONS allows).
    "frame-ancestors": [SELF],
}
# Public site and intranet: our own files only; GOV.UK's inline body-class snippet by nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "frame-src": [NONE],
    }
}
# Wagtail's admin: its inline scripts and style attributes need 'unsafe-inline' (no
# 'unsafe-eval'); images include the data: and blob: URLs of its upload previews.
PORTAL_ADMIN_PATH_PREFIXES = ["/admin/"]
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-src": [SELF],
    }
}
# Avatars drawn by Wagtail, not fetched from Gravatar: no staff email hash leaves the
# portal, and the admin policy needs no outside image host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Browser features the portal never uses, denied to it and to anything it frames. Only
# features Chromium recognises: it logs an error on every page for any other name.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# /healthz shows which dependency failed only to a caller sending this token in the
# X-Healthz-Token header, or (when HEALTHZ_TRUST_LOCALHOST is on) one on this machine.
# Off by default: behind a reverse proxy every request looks local; use the token there.
HEALTHZ_TOKEN = os.environ.get("HEALTHZ_TOKEN", "")
HEALTHZ_TRUST_LOCALHOST = env_bool("HEALTHZ_TRUST_LOCALHOST", False)


def require_secret_key(key):
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
    return key


# --- Sign-in security (portal/signin): throttling, second factor, session lifetimes ---
# Kept in one block so that other settings work merges around it.
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# django-otp's middleware tells whether a session gave its second factor, so it comes right
# after authentication, and our gate right after it. Axes' middleware goes last, as it asks.
_after_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_after_auth:_after_auth] = [
    "django_otp.middleware.OTPMiddleware",
    "portal.signin.middleware.SecondFactorMiddleware",
]
MIDDLEWARE += ["portal.signin.throttle.ThrottledFormsMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Throttling, one count for every sign-in surface: after SIGN_IN_FAILURE_LIMIT failures for
# one username, or from one address, within the cool-off, both are refused until it passes.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Resetting on success would let one good account wipe its address's failures against others.
AXES_RESET_ON_SUCCESS = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "portal.signin.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.signin.throttle.client_ip"
AXES_VERBOSE = False
# Proxies of ours in front of the portal that append to X-Forwarded-For (production: 1).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Second factor (TOTP) for every role that can change or decide: see portal/signin/policy.py.
OTP_TOTP_ISSUER = f"{WAGTAIL_SITE_NAME} ({COUNCIL_NAME})"
# Their sessions end with the browser, and after this long without a request.
PRIVILEGED_SESSION_IDLE_TIMEOUT = timedelta(hours=int(os.environ.get("PRIVILEGED_SESSION_IDLE_HOURS", "8")))


# --- Public page cache and CDN (portal/page_cache.py, portal/frontend_purge.py; README "Caching") ---
# The portal's own store comes after SecurityMiddleware and before anything reads a session.
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.forms"), "wagtail.contrib.frontend_cache")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "portal.page_cache.PublicPageCacheMiddleware"
)
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
PUBLIC_ROUTE_CACHE = env_bool("PUBLIC_ROUTE_CACHE", True)
from portal.frontend_cache_settings import backends_from_environment  # noqa: E402 (reads only the environment)

WAGTAILFRONTENDCACHE = backends_from_environment(os.environ)
# Browsers keep a public page a minute; a CDN longer when the portal purges it on change.
PUBLIC_CACHE_MAX_AGE = int(os.environ.get("PUBLIC_CACHE_MAX_AGE", "60"))
PUBLIC_CACHE_S_MAXAGE = int(os.environ.get("PUBLIC_CACHE_S_MAXAGE", "3600" if WAGTAILFRONTENDCACHE else "300"))

# Reports from the public (a problem with an entry, feedback) one client may send in an hour.
PUBLIC_REPORTS_PER_HOUR = int(os.environ.get("PUBLIC_REPORTS_PER_HOUR", "10"))
