"""Routes the register adds outside Wagtail's page tree.

``staff_urlpatterns`` is included at ``/intranet/register/`` before Wagtail's
catch-all, so it wins over any intranet page of the same path.
"""

from django.urls import path

from . import staff_views
from .reviews.urls import urlpatterns as review_urlpatterns

staff_urlpatterns = (
    [
        path("", staff_views.register, name="register"),
        path("mine/", staff_views.my_partnerships, name="mine"),
        *review_urlpatterns,
    ],
    "partnerships_staff",
)
