"""The portal's URLs with the register's open-data files, as portal/urls.py will include them.

Used only until ``partnerships.public_urls`` is included in portal/urls.py; then it
changes nothing.
"""

from django.urls import include, path

from partnerships import public_urls
from portal.urls import urlpatterns as portal_urlpatterns

_included = any(getattr(p, "urlconf_module", None) is public_urls for p in portal_urlpatterns)

urlpatterns = portal_urlpatterns if _included else [path("", include(public_urls)), *portal_urlpatterns]
