"""``WAGTAILFRONTENDCACHE`` from the environment: which CDN the portal purges (README, "Caching public pages").

Read by the settings, so it imports nothing of Django's or the portal's.
"""


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
