"""The reports' admin URLs, mounted under /admin/reports/register/ by wagtail_hooks.py.

Each report has a results-only twin that the admin's filter drawer refreshes in place.
"""

from django.urls import path

from .views import REPORT_VIEWS

app_name = "partnerships_reports"

urlpatterns = []
for view_class in REPORT_VIEWS:
    slug = view_class.url_name.replace("_", "-")
    urlpatterns += [
        path(f"{slug}/", view_class.as_view(), name=view_class.url_name),
        path(f"{slug}/results/", view_class.as_view(results_only=True), name=f"{view_class.url_name}_results"),
    ]
