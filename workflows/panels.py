"""Panels: what a proposal still needs (in its edit form), and the dashboard's workflow panels."""

from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import WorkflowState
from wagtail.snippets.action_menu import SubmitForModerationMenuItem

from partnerships.models import Status
from portal import roles

from . import proposals
from .board_pack import can_view_board_pack
from .models import HeadOfServiceDeputy, Notification


class ProposalProgressPanel(Panel):
    """At the top of the entry's form: what stands between the proposer and submitting, as they go."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "workflows/panels/proposal_progress.html"

        def is_shown(self):
            return self.instance.is_new_proposal or self.instance.status == Status.REJECTED

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            state = self.instance.current_workflow_state if self.instance.pk else None
            in_progress = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
            # Whoever has the form open submits it, unless it is already in the workflow.
            proposer = state.requested_by if in_progress else self.request.user
            returned = state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES
            context.update(
                completeness=proposals.check(self.instance, proposer=proposer),
                change_request=state.current_task_state if returned else None,
                submit_label=proposals.submit_label(self.instance),
                head_name=self.instance.head_of_service_name() if self.instance.head_of_service_id else "",
            )
            return context


class SubmitForEndorsementMenuItem(SubmitForModerationMenuItem):
    """The proposer's submit button, saying where a proposal goes next (see action_menu)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = proposals.submit_label(parent_context["instance"])
        return context


class AwaitingDecisionPanel(Component):
    """Register entries at a step the user can act on, with what the Board weighs up at a glance."""

    name = "awaiting_decision"
    template_name = "workflows/panels/awaiting_decision.html"
    order = 90

    def __init__(self, user):
        self.items = proposals.awaiting_decision(user)
        # Someone who decides is told when nothing waits, rather than seeing no panel at all.
        self.shown = bool(self.items) or _decides(user)
        self.board_pack_url = reverse("workflows:board_pack") if can_view_board_pack(user) else ""

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.shown else ""

    def get_context_data(self, parent_context=None):
        from partnerships.models import Partnership

        return {
            "items": self.items,
            "inspect_url_name": Partnership.snippet_viewset.get_url_name("inspect"),
            "board_pack_url": self.board_pack_url,
        }


def _decides(user):
    """Whether ``user`` takes a step of the register's workflows.

    Management Board, Heads of Service and their deputies (new partnerships), and
    register managers (moderation of edits to live entries).
    """
    return (
        user.is_superuser
        or user.groups.filter(
            name__in=[roles.MANAGEMENT_BOARD, roles.HEADS_OF_SERVICE, roles.REGISTER_MANAGERS]
        ).exists()
        or HeadOfServiceDeputy.objects.filter(deputy=user).exists()
    )


class FailedNotificationsPanel(Component):
    """For register managers: how many emails gave up retrying, with the way to send them again."""

    name = "failed_notifications"
    template_name = "workflows/panels/failed_notifications.html"
    order = 80

    def __init__(self):
        self.count = Notification.objects.filter(status=Notification.Status.FAILED).count()

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.count else ""

    def get_context_data(self, parent_context=None):
        return {"count": self.count, "url": reverse("workflows:failed_notifications")}


def moderates_pages(user):
    """Whether ``user`` approves page changes (the page moderation workflow's step)."""
    return user.is_superuser or user.groups.filter(name=roles.MODERATORS).exists()


def add_workflow_panels(request, panels):
    """``construct_homepage_panels``: the decisions awaiting the user, and emails that failed for those who fix them."""
    if not moderates_pages(request.user):
        # Wagtail's "Awaiting your review" would list the same partnerships again: for
        # someone who does not moderate pages it holds nothing else.
        panels[:] = [panel for panel in panels if not isinstance(panel, WorkflowObjectsToModeratePanel)]
    panels.append(AwaitingDecisionPanel(request.user))
    if request.user.has_perm("workflows.change_notification"):
        panels.append(FailedNotificationsPanel())
