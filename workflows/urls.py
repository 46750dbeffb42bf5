"""Admin URLs of the approval workflow, under /admin/workflows/ (see wagtail_hooks)."""

from django.urls import path

from . import deputies, views
from .exception_report import ExceptionReportView, exception_report_print
from .training_report import training_report

app_name = "workflows"

urlpatterns = [
    path("decisions/", views.DecisionLogView.as_view(), name="decision_log"),
    path("emails-not-sent/", views.FailedNotificationsView.as_view(), name="failed_notifications"),
    path("deputy/", deputies.DeputyView.as_view(), name="deputy"),
]

# Reports, under /admin/reports/workflows/ (namespace workflows_reports).
report_urlpatterns = [
    path("exceptions/", ExceptionReportView.as_view(), name="exception_report"),
    path("exceptions/results/", ExceptionReportView.as_view(results_only=True), name="exception_report_results"),
    path("exceptions/print/", exception_report_print, name="exception_report_print"),
    path("training/", training_report, name="training"),
]
