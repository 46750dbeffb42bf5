"""Wagtail's page serving without its per-request site lookup, routing and privacy queries.

For every page Wagtail finds the site by hostname (one query), walks the tree from
the site's root to the page (a query per level) and reads the page's view
restrictions (one query). None of that changes between publications, so for
anonymous requests each process keeps the answers for the current public generation
(``portal.page_cache``): a change anywhere on the public site starts a new
generation, and the next request here finds the site and the route afresh.
Privacy is still checked on every request, against restrictions read under the same
generation; requests without a generation (signed-in users, the intranet, a cache
that cannot be reached) are routed by Wagtail exactly as before.
"""

import threading

from django.conf import settings
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

MAX_REMEMBERED = 5000

_lock = threading.Lock()
_memo = {"generation": None, "values": {}}


def _remembered(generation):
    """This process's answers for ``generation``, emptied when the generation moves on."""
    with _lock:
        if _memo["generation"] != generation or len(_memo["values"]) > MAX_REMEMBERED:
            _memo["generation"], _memo["values"] = generation, {}
        return _memo["values"]


def forget():
    with _lock:
        _memo["generation"], _memo["values"] = None, {}


def _public_generation(request):
    if not getattr(settings, "PUBLIC_ROUTE_CACHE", True):
        return None
    return getattr(request, "public_generation", None)


def find_site(request):
    """The request's site, from this process's memory when the request has a public generation."""
    generation = _public_generation(request)
    if generation is None or hasattr(request, "_wagtail_site"):
        return Site.find_for_request(request)
    values = _remembered(generation)
    key = ("site", request._get_raw_host(), request.get_port())
    if key not in values:
        values[key] = Site._find_for_request(request)
    request._wagtail_site = values[key]
    return values[key]


def _route(request, path):
    generation = _public_generation(request)
    if generation is None:
        return
    site = find_site(request)
    values = _remembered(generation)
    key = ("route", site.pk if site else None, path)
    found = values.get(key)
    if found is None:
        result = Page.route_for_request(request, path)
        if result is not None:  # a missing page is not remembered: anyone can ask for any number of them
            values[key] = (result, getattr(request, "routable_resolver_match", None))
        return
    result, resolver_match = found
    request._wagtail_route_for_request = result
    if resolver_match is not None:
        request.routable_resolver_match = resolver_match


def serve(request, path):
    """Wagtail's page view, routed from this process's memory where it may be."""
    _route(request, path)
    return wagtail_views.serve(request, path)
