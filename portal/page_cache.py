"""The anonymous page cache: public pages stored whole and served before sessions or sign-in are read.

A visitor with no session cookie sees the same public page as every other such
visitor, so the first one's response is kept in the default cache (Redis when
``REDIS_URL`` is set, local memory otherwise) and handed to the next ones without
running Wagtail, the database or a template. The middleware sits straight after
``SecurityMiddleware``: a hit costs one cache read, whatever the page.

What is never served from here or stored: anything for a request with a session
cookie (a signed-in officer, or a visitor who gave a page's password), anything
under the admin, the intranet, sign-in, documents or the API, and any response that
sets a cookie (a form with a CSRF token does), is not a 200, or says it is private.
A file sent from disk (``FileResponse``: the register's open-data files, built once
per change by ``partnerships.public.prebuilt``) gets the public headers but is not
copied into the cache: the web server sends it straight from the file.

Freshness: every stored page carries the *public generation* it was built under,
and the generation is replaced after any change that can show on a public page is
committed (``public_content_changed``; the signal handlers in ``page_cache_signals``
and the register's own). The generation and the page are read together, so a page
built before a change is never served after it. When the cache cannot be reached
there is no generation to trust and every request is built afresh.
"""

import hashlib
import itertools

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from portal.cache import renew_after_commit, token

GENERATION_KEY = "portal:public:generation"
PAGE_KEY_PREFIX = "portal:public:page:"

# Paths that are never public pages, or whose answer depends on who asks.
DEFAULT_EXCLUDED_PREFIXES = (
    "/admin/",
    "/intranet/",
    "/documents/",
    "/api/",
    "/static/",
    "/media/",
    "/healthz",
    "/sign-in/",
    "/sign-out/",
    "/password-reset/",
    "/_util/",
)
CACHEABLE_VARY = {"cookie", "accept-encoding"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")
NOT_MODIFIED = 304


def current_generation():
    """The public generation, made on first use; None when the cache cannot hold one."""
    return token(GENERATION_KEY)


def public_content_changed():
    """After the current transaction commits, every public page is built afresh on its next request.

    One cache write per transaction, however many rows it saved; while Redis is
    unreachable the new generation is kept and written before the cache is used again.
    """
    renew_after_commit(GENERATION_KEY)


def _setting(name, default):
    return getattr(settings, name, default)


def is_cacheable_request(request):
    """An anonymous GET for a public address: one whose answer is the same for every such visitor."""
    if request.method != "GET":
        return False
    if request.path.startswith(tuple(_setting("PUBLIC_PAGE_CACHE_EXCLUDED_PREFIXES", DEFAULT_EXCLUDED_PREFIXES))):
        return False
    # A session cookie means a signed-in user (or a visitor with page passwords or
    # messages in the session): told apart without reading the session or the user.
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or _setting("MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def page_key(request):
    """The cache key of the page a request asks for (scheme, host, path and query string)."""
    try:
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    except DisallowedHost:
        return None
    return PAGE_KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def is_public_response(request, response):
    """A response any anonymous visitor may be given, and a CDN may keep."""
    if (
        response.status_code not in (200, NOT_MODIFIED)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(directive in control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= CACHEABLE_VARY


def add_public_cache_control(response):
    """A short life in browsers, a longer one in a CDN that the portal purges on change."""
    if "Cache-Control" not in response:
        patch_cache_control(
            response,
            public=True,
            max_age=_setting("PUBLIC_CACHE_MAX_AGE", 60),
            s_maxage=_setting("PUBLIC_CACHE_S_MAXAGE", 300),
        )


def _body(response, limit):
    """The whole body as bytes, or (None, a response streaming the same bytes) when over ``limit``."""
    if not response.streaming:
        return response.content, response
    chunks, size = [], 0
    stream = iter(response.streaming_content)
    for chunk in stream:
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            response.streaming_content = itertools.chain(chunks, stream)
            return None, response
    return b"".join(chunks), response


def _store(key, generation, response):
    content, response = _body(response, _setting("PUBLIC_PAGE_CACHE_MAX_BYTES", 32 * 1024 * 1024))
    if content is None:
        return response
    headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
    timeout = _setting("PUBLIC_PAGE_CACHE_SECONDS", 24 * 60 * 60)
    cache.set(key, (generation, response.status_code, headers, content), timeout)
    return _rebuild(response.status_code, headers, content) if response.streaming else response


def _rebuild(status, headers, content):
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _read(key):
    """(generation, stored entry of that generation or None), in one round trip to the cache."""
    if not _setting("PUBLIC_PAGE_CACHE", True):
        return current_generation(), None
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or current_generation()
    entry = found.get(key)
    return generation, entry if entry and entry[0] == generation else None


class PublicPageCacheMiddleware:
    """Serves anonymous GET requests for public pages from the cache, and stores what they get."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request) if is_cacheable_request(request) else None
        if key is None:
            return self.get_response(request)
        generation, entry = _read(key)
        # Per-process caches (site, routing) check their freshness against the same generation.
        request.public_generation = generation
        if entry is not None:
            response = _rebuild(*entry[1:])
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not is_public_response(request, response):
            return response
        add_public_cache_control(response)  # a 304 carries the headers its 200 would
        # Nothing to keep of a 304; a file on disk (the register's open data) is sent from there.
        is_file = getattr(response, "file_to_stream", None) is not None
        keep = response.status_code == 200 and not is_file
        if keep and generation is not None and _setting("PUBLIC_PAGE_CACHE", True):
            response = _store(key, generation, response)
        return response
