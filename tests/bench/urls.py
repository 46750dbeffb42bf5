"""The portal's URLs plus ``/bench/ceiling``: the cheapest Django response this server can give.

The ceiling view goes through the same middleware as every page but reads no
database, cache or template, so the ratio of a page's throughput to it measures
the page's own cost on this machine, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import include, path

from partnerships import public_urls
from portal.urls import handler404, handler500  # noqa: F401 - the portal's error pages
from portal.urls import urlpatterns as portal_urlpatterns


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


# The open-data files need partnerships.public_urls before Wagtail's catch-all; include
# it here until portal/urls.py does.
_included = any(getattr(p, "urlconf_module", None) is public_urls for p in portal_urlpatterns)

urlpatterns = [
    path("bench/ceiling", ceiling),
    *([] if _included else [path("", include(public_urls))]),
    *portal_urlpatterns,
]
