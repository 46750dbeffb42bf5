"""Admin URLs of the approval workflow, under /admin/workflows/ (see wagtail_hooks)."""

from django.urls import path

from partnerships.reports.cabinet_exceptions import (
    ExceptionReportView,
    exception_report_pdf,
    exception_report_print,
)

from . import board_pack, deputies, views

app_name = "workflows"

urlpatterns = [
    path("decisions/", views.DecisionLogView.as_view(), name="decision_log"),
    path("emails-not-sent/", views.FailedNotificationsView.as_view(), name="failed_notifications"),
    path("deputy/", deputies.DeputyView.as_view(), name="deputy"),
    path("board-pack/", board_pack.board_pack, name="board_pack"),
    path("board-pack/pdf/", board_pack.board_pack_pdf, name="board_pack_pdf"),
]

# Reports, under /admin/reports/workflows/ (namespace workflows_reports).
report_urlpatterns = [
    path("exceptions/", ExceptionReportView.as_view(), name="exception_report"),
    path("exceptions/results/", ExceptionReportView.as_view(results_only=True), name="exception_report_results"),
    path("exceptions/print/", exception_report_print, name="exception_report_print"),
    path("exceptions/pdf/", exception_report_pdf, name="exception_report_pdf"),
]
