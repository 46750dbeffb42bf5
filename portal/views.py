import re

from django.contrib.auth import views as auth_views
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from wagtail.models import Page

from portal import health
from portal.forms import SignInForm

SEARCH_PAGE_SIZE = 10
SEARCH_QUERY_MAX_LENGTH = 200
# No backend takes these as words: PostgreSQL refuses NUL in text, other control
# characters are never typed, and SQLite's FTS5 reads a double quote as phrase syntax
# (an odd number of them is an error). Wagtail searches the words as plain text anyway.
UNSEARCHABLE = re.compile(r'[\x00-\x1f\x7f"]+')


class SignInView(auth_views.LoginView):
    template_name = "portal/auth/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def visible_pages(user):
    """Live pages a user may read: public ones, plus the intranet once signed in."""
    pages = Page.objects.live().filter(depth__gt=1)
    if not user.is_authenticated:
        pages = pages.public()
    return pages


def search_terms(raw):
    """The words of a query, safe to hand to either search backend, within a bounded length."""
    return " ".join(UNSEARCHABLE.sub(" ", raw).split())[:SEARCH_QUERY_MAX_LENGTH].strip()


def search(request):
    query = search_terms(request.GET.get("q", ""))
    results = None
    if query:
        found = visible_pages(request.user).specific().search(query)
        paginator = Paginator(found, SEARCH_PAGE_SIZE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
    return render(request, "portal/search.html", {"query": query, "results": results})


@never_cache
def healthz(request):
    """The public learns only "ok" or "unavailable"; which dependency failed is for operators."""
    checks = health.run_checks()
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    if health.may_see_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context and no context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
