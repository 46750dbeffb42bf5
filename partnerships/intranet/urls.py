"""The intranet register's routes, outside Wagtail's page tree.

``staff_urlpatterns`` is included at ``/intranet/register/`` before Wagtail's
catch-all, so it wins over any intranet page of the same path.
"""

from django.urls import path

from ..reviews.urls import urlpatterns as review_urlpatterns
from . import views

staff_urlpatterns = (
    [
        path("", views.register, name="register"),
        path("mine/", views.my_partnerships, name="mine"),
        *review_urlpatterns,
    ],
    "partnerships_staff",
)
