"""The portal's URLs with the register's staff routes, as portal/urls.py will include them.

Used only until the include lands in portal/urls.py; then it changes nothing.
"""

from django.urls import include, path

from partnerships.urls import staff_urlpatterns
from portal.urls import urlpatterns as portal_urlpatterns

_included = any(getattr(p, "namespace", None) == "partnerships_staff" for p in portal_urlpatterns)

urlpatterns = (
    portal_urlpatterns
    if _included
    else [
        path("intranet/register/", include(staff_urlpatterns)),
        *portal_urlpatterns,
    ]
)
