"""Telling a CDN in front of the portal to drop its copies, once a change is committed.

``wagtail.contrib.frontend_cache`` does the talking (Cloudflare, CloudFront, or an
HTTP ``PURGE`` to Varnish or nginx; settings from the environment, see the README).
Wagtail purges a page when it is published or unpublished; the register's entries are
not pages, so the register asks here for its own addresses. Purging waits for the
commit: a CDN refetching before it would keep the old page again.
"""

from django.conf import settings
from django.db import transaction
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache


def is_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_after_commit(urls):
    """Purge ``urls`` (full addresses) from every configured CDN after the transaction commits."""
    if not is_configured():
        return
    urls = sorted({url for url in urls if url})
    if urls:
        transaction.on_commit(lambda: purge_urls_from_cache(urls))


def backends_from_environment(environ):
    """``WAGTAILFRONTENDCACHE`` for the CDN named in ``FRONTEND_CACHE`` (empty when none is)."""
    kind = environ.get("FRONTEND_CACHE", "").strip().lower()
    prefix = "wagtail.contrib.frontend_cache.backends."
    if kind == "cloudflare":
        backend = {
            "BACKEND": prefix + "CloudflareBackend",
            "BEARER_TOKEN": environ.get("CLOUDFLARE_API_TOKEN", ""),
            "ZONEID": environ.get("CLOUDFLARE_ZONE_ID", ""),
        }
    elif kind == "cloudfront":
        backend = {
            "BACKEND": prefix + "CloudfrontBackend",
            "DISTRIBUTION_ID": environ.get("CLOUDFRONT_DISTRIBUTION_ID"),
        }
    elif kind in ("http", "varnish", "purge"):
        backend = {"BACKEND": prefix + "HTTPBackend", "LOCATION": environ.get("FRONTEND_CACHE_PURGE_URL", "")}
    else:
        return {}
    hostnames = [name.strip() for name in environ.get("FRONTEND_CACHE_HOSTNAMES", "").split(",") if name.strip()]
    if hostnames:
        backend["HOSTNAMES"] = hostnames
    return {kind: backend}
