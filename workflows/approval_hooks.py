"""Registration of the approval workflow's admin views, panels and history messages (issue 4).

Imported by ``WorkflowsConfig.ready()`` as well as by wagtail_hooks, so the registrations
do not depend on what else wagtail_hooks holds.
"""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.log_actions import LogFormatter
from wagtail.snippets.action_menu import WorkflowMenuItem

from partnerships.models import Partnership

from . import urls
from .panels import AwaitingDecisionPanel, FailedNotificationsPanel, SubmitForEndorsementMenuItem, moderates_pages
from .roles import DECISION_LOG
from .services import DECLINE_ACTION, is_final_step
from .views import is_head_of_service


@hooks.register("register_admin_urls")
def register_workflow_urls():
    return [path("workflows/", include(urls, namespace="workflows"))]


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("workflows/admin.css"))


@hooks.register("construct_homepage_panels")
def add_workflow_panels(request, panels):
    if not moderates_pages(request.user):
        # Wagtail's "Awaiting your review" would list the same partnerships again: for
        # someone who does not moderate pages it holds nothing else.
        panels[:] = [panel for panel in panels if not isinstance(panel, WorkflowObjectsToModeratePanel)]
    panels.append(AwaitingDecisionPanel(request.user))
    if request.user.has_perm("workflows.change_notification"):
        panels.append(FailedNotificationsPanel())


@hooks.register("construct_snippet_action_menu")
def name_the_next_step(menu_items, request, context):
    """On a proposal, "Submit" names the Head of Service who endorses next, and only the last step publishes.

    Wagtail labels approval "and Publish" when the steps left are one; back at the Head
    of Service for re-endorsement, the Board's step is still to come.
    """
    instance = context.get("instance")
    if not isinstance(instance, Partnership) or not instance.is_new_proposal:
        return
    state = instance.current_workflow_task_state if instance.pk else None
    labels = {}
    if state is not None and not is_final_step(state):
        labels = {
            (name, modal): label for name, label, modal in state.task.specific.get_actions(instance, request.user)
        }
    for position, item in enumerate(menu_items):
        if item.name == "action-submit":
            menu_items[position] = SubmitForEndorsementMenuItem(order=item.order)
        elif isinstance(item, WorkflowMenuItem) and (item.name, item.launch_modal) in labels:
            item.label = labels[(item.name, item.launch_modal)]


@hooks.register("register_log_actions")
def register_decline_action(actions):
    @actions.register_action(DECLINE_ACTION)
    class DeclineFormatter(LogFormatter):
        label = "Workflow: decline"

        def format_message(self, log_entry):
            try:
                return f"Declined at '{log_entry.data['workflow']['task']['title']}'. The proposal is closed"
            except (KeyError, TypeError):
                return "Proposal declined"

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


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
