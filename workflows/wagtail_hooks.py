"""Registration only: the workflows app's admin reports, dashboard panels and workflow views."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.models.training import can_see_colleagues_training

from . import approval_hooks  # noqa: F401 - the approval workflow's registrations (issue 4)
from .dashboard import add_overdue_panel
from .exception_report import ExceptionReportView, can_view_exception_report, exception_report_print
from .training_report import training_report

# --- Reports (issue 5): the Cabinet exception report and awareness training ---

report_urlpatterns = [
    path("exceptions/", ExceptionReportView.as_view(), name="exception_report"),
    path("exceptions/results/", ExceptionReportView.as_view(results_only=True), name="exception_report_results"),
    path("exceptions/print/", exception_report_print, name="exception_report_print"),
    path("training/", training_report, name="training"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/workflows/", include((report_urlpatterns, "workflows_reports")))]


class ReportMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register("register_reports_menu_item")
def exception_report_menu_item():
    return ReportMenuItem(
        "Cabinet exception report",
        reverse("workflows_reports:exception_report"),
        icon_name="warning",
        order=800,
        allowed=can_view_exception_report,
    )


@hooks.register("register_reports_menu_item")
def training_report_menu_item():
    return ReportMenuItem(
        "Awareness training",
        reverse("workflows_reports:training"),
        icon_name="user",
        order=810,
        allowed=can_see_colleagues_training,
    )


hooks.register("construct_homepage_panels", add_overdue_panel)
