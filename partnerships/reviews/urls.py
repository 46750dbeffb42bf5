"""Intranet routes for progress reports, annual reviews and collated progress.

Part of ``partnerships.intranet.urls.staff_urlpatterns`` (namespace ``partnerships_staff``),
so they live under ``/intranet/register/``.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("progress/", views.collated_progress, name="progress"),
    path("<int:pk>/progress-report/", views.progress_report, name="progress_report"),
    path(
        "<int:pk>/progress-report/<int:report_pk>/",
        views.progress_report_detail,
        name="progress_report_detail",
    ),
    path("<int:pk>/annual-review/", views.annual_review, name="annual_review"),
    path("<int:pk>/annual-review/<int:review_pk>/", views.annual_review_detail, name="annual_review_detail"),
]
