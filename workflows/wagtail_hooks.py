"""Registration only: the workflows app's admin URLs, menu items, dashboard panels, action menu and reports."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks

from partnerships.permissions import can_view_exception_report
from portal.menu import PermissionMenuItem

from . import urls
from .action_menu import name_the_next_step
from .board_pack import can_view_board_pack
from .dashboard import add_overdue_panel
from .deputies import is_head_of_service
from .log_actions import DeclineFormatter
from .panels import add_workflow_panels
from .roles import DECISION_LOG
from .services import DECLINE_ACTION

# --- The approval workflow ---


@hooks.register("register_admin_urls")
def register_workflow_urls():
    return [path("workflows/", include(urls, namespace="workflows"))]


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("workflows/admin.css"))


hooks.register("construct_homepage_panels", add_workflow_panels)
hooks.register("construct_snippet_action_menu", name_the_next_step)


@hooks.register("register_log_actions")
def register_decline_action(actions):
    actions.register_action(DECLINE_ACTION)(DeclineFormatter)


@hooks.register("register_reports_menu_item")
def decision_log_menu_item():
    return PermissionMenuItem(
        "Decision log",
        reverse("workflows:decision_log"),
        icon_name="list-ul",
        order=900,
        allowed=lambda user: user.has_perm(DECISION_LOG),
    )


@hooks.register("register_reports_menu_item")
def failed_notifications_menu_item():
    return PermissionMenuItem(
        "Emails not sent",
        reverse("workflows:failed_notifications"),
        icon_name="warning",
        order=910,
        allowed=lambda user: user.has_perm("workflows.change_notification"),
    )


@hooks.register("register_admin_menu_item")
def deputy_menu_item():
    return PermissionMenuItem(
        "Your deputy", reverse("workflows:deputy"), icon_name="user", order=260, allowed=is_head_of_service
    )


# --- Reports: the Cabinet exception report ---


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/workflows/", include((urls.report_urlpatterns, "workflows_reports")))]


@hooks.register("register_reports_menu_item")
def exception_report_menu_item():
    return PermissionMenuItem(
        "Cabinet exception report",
        reverse("workflows_reports:exception_report"),
        icon_name="warning",
        order=800,
        allowed=can_view_exception_report,
    )


@hooks.register("register_reports_menu_item")
def board_pack_menu_item():
    return PermissionMenuItem(
        "Board meeting pack",
        reverse("workflows:board_pack"),
        icon_name="doc-full",
        order=805,
        allowed=can_view_board_pack,
    )


hooks.register("construct_homepage_panels", add_overdue_panel)
