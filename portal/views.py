import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.static import serve as static_serve
from wagtail import hooks
from wagtail.models import Page

from portal import health
from portal.models.privacy import viewable_by

SEARCH_PAGE_SIZE = 10
# Other kinds of result site search shows beside pages (register entries): each hook
# takes (request, query) and returns a result group, or None when it found nothing.
SEARCH_RESULTS_HOOK = "site_search_results"
SEARCH_QUERY_MAX_LENGTH = 200
# No backend takes these as words: PostgreSQL refuses NUL in text, other control
# characters are never typed, and SQLite's FTS5 reads a double quote as phrase syntax
# (an odd number of them is an error). Wagtail searches the words as plain text anyway.
UNSEARCHABLE = re.compile(r'[\x00-\x1f\x7f"]+')


def public_media(request, path):
    """An image rendition under MEDIA_ROOT/images/, the one public folder there.

    Renditions are what pages show, so they are public; original uploads, documents and
    anything else under MEDIA_ROOT are never served: the root given is the images folder
    itself, so "images/../documents/…" cannot climb out of it.
    """
    try:
        response = static_serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "images")
    except SuspiciousFileOperation as error:
        raise Http404 from error
    response["Cache-Control"] = "public, max-age=86400"
    return response


def visible_pages(request):
    """Live pages the request's user may read: public ones, plus those their sign-in and groups open."""
    return Page.objects.live().filter(depth__gt=1).filter(viewable_by(request))


def search_terms(raw):
    """The words of a query, safe to hand to either search backend, within a bounded length."""
    return " ".join(UNSEARCHABLE.sub(" ", raw).split())[:SEARCH_QUERY_MAX_LENGTH].strip()


def other_results(request, query):
    """What the ``site_search_results`` hooks found: groups of ``label``, ``count``, ``results`` and ``more_url``."""
    groups = [find(request, query) for find in hooks.get_hooks(SEARCH_RESULTS_HOOK)]
    return [group for group in groups if group]


def search(request):
    query = search_terms(request.GET.get("q", ""))
    results = None
    groups = []
    if query:
        found = visible_pages(request).specific().search(query)
        paginator = Paginator(found, SEARCH_PAGE_SIZE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
        groups = other_results(request, query)
    context = {
        "query": query,
        "results": results,
        "groups": groups,
        "count": (results.paginator.count if results else 0) + sum(group["count"] for group in groups),
    }
    return render(request, "portal/search.html", context)


@never_cache
def healthz(request):
    """The public learns only "ok" or "unavailable"; which dependency failed is for operators."""
    checks = health.run_checks()
    status = health.overall(checks)
    # Degraded (Redis down, pages still served) is "ok" to the public and to a load balancer,
    # which must keep sending traffic; operators see "degraded" and which check failed.
    unavailable = status == health.UNAVAILABLE
    body = {"status": "unavailable" if unavailable else "ok"}
    if health.may_see_details(request):
        body = {"status": status, "checks": checks}
    return JsonResponse(body, status=503 if unavailable else 200)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    # No request context and no context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def cookies(request):
    """What the portal stores on a visitor's device, and why (GOV.UK cookies page pattern)."""
    context = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
    }
    return render(request, "portal/cookies.html", context)
