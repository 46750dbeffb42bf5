"""Register entries in the portal's site search, as their own kind of result.

The portal asks each ``site_search_results`` hook for a group of results. This one
searches the register as its own page does (``filters.search_condition``: the search
index holds public fields only, of the published version of public entries), so
an unpublished edit or an internal field can neither be found nor shown. Signed-in
staff also get the way into the entry's internal record: the admin's view of it when
their role lets them see it there, otherwise the intranet register.
"""

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.models import Site

from portal.models.privacy import viewable_by
from portal.privacy import is_signed_in

from ..models import Partnership
from ..permissions import PartnershipPermissionPolicy
from .fields import fetch_public, public_entries, public_queryset
from .filters import search_condition, search_words
from .listing import LISTING_FIELDS, listing_row
from .pages import RegisterPage

SITE_SEARCH_LIMIT = 5
ADMIN_ACCESS = "wagtailadmin.access_admin"


def _register_page(request):
    """The live register page of the request's site that the visitor may see, or None."""
    site = Site.find_for_request(request)
    pages = RegisterPage.objects.live().filter(viewable_by(request))
    if site:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.first()


def _staff_link(user, entry):
    """Where a signed-in member of staff reads the entry's internal record, and what to call the link."""
    policy = PartnershipPermissionPolicy(Partnership)
    if user.has_perm(ADMIN_ACCESS) and policy.user_has_permission_for_instance(user, "view", entry):
        return reverse("wagtailsnippets_partnerships_partnership:inspect", args=[entry.pk]), "Internal record"
    return reverse("partnerships_staff:register") + "?" + urlencode({"q": entry.reference}), "On the intranet register"


def _result(page, entry, base_url, user):
    row = listing_row(page, entry, base_url)
    record = row["record"]
    details = [record.get(name) for name in ("reference", "status", "service_area", "geography")]
    result = {
        "title": record["name"],
        "url": row["url"],
        "summary": record["purpose"],
        "details": [detail for detail in details if detail],
    }
    if user is not None:
        result["staff_url"], result["staff_label"] = _staff_link(user, entry)
    return result


def register_results(request, query):
    """Up to ``SITE_SEARCH_LIMIT`` matching public entries, in name order, and how many match in all."""
    query = search_words(query)
    page = _register_page(request) if query else None
    if page is None:
        return None
    condition = search_condition(query)
    count = public_queryset().filter(condition).count()
    if not count:
        return None
    entries = public_entries(names=LISTING_FIELDS).filter(condition).order_by("name", "pk")[:SITE_SEARCH_LIMIT]
    base_url = page.get_url(request)
    user = request.user if is_signed_in(request) else None
    results = [_result(page, entry, base_url, user) for entry in fetch_public(entries, LISTING_FIELDS)]
    more = count > len(results)
    return {
        "label": "Register entry",
        "count": count,
        "results": results,
        "more_url": base_url + "?" + urlencode({"q": query}) if more else "",
        "more_label": f"See all {count} register entries matching ‘{query}’" if more else "",
    }
