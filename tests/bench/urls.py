"""The portal's URLs plus ``/bench/ceiling``: the cheapest Django response this server can give.

The ceiling view goes through the same middleware as every page but reads no
database, cache or template, so the ratio of a page's throughput to it measures
the page's own cost on this machine, whatever the machine.
"""

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401 - the portal's error pages
from portal.urls import urlpatterns as portal_urlpatterns


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling), *portal_urlpatterns]
