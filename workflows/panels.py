"""The dashboard's workflow panels: decisions awaiting the user, and emails that failed."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import TaskState

from partnerships.models import Partnership
from portal import roles
from portal.models import Question, QuestionSet

from .board_pack import can_view_board_pack
from .models import HeadOfServiceDeputy, Notification


@dataclass
class AwaitingDecision:
    task_state: TaskState
    partnership: Partnership
    checklist_total: int

    @property
    def step(self):
        return self.task_state.task.name


def awaiting_decision(user):
    """Register entries at a workflow step ``user`` can act on, oldest first, in a fixed number of queries."""
    states = list(
        TaskState.objects.reviewable_by(user)
        .filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type__app_label="partnerships",
            workflow_state__base_content_type__model="partnership",
        )
        .select_related("task", "workflow_state__requested_by")
        .order_by("started_at", "pk")
    )
    if not states:
        return []
    entries = (
        Partnership.objects.filter(pk__in=[int(state.workflow_state.object_id) for state in states])
        .with_people()
        .annotate_significant()
        .annotate(
            checklist_answered=Count(
                "checklist_answers",
                filter=Q(checklist_answers__question__question_set__kind=QuestionSet.Kind.CHECKLIST),
            )
        )
        .in_bulk()
    )
    total = Question.objects.filter(question_set__kind=QuestionSet.Kind.CHECKLIST).count()
    return [
        AwaitingDecision(state, entries[int(state.workflow_state.object_id)], total)
        for state in states
        if int(state.workflow_state.object_id) in entries
    ]


class AwaitingDecisionPanel(Component):
    """Register entries at a step the user can act on, with what the Board weighs up at a glance."""

    name = "awaiting_decision"
    template_name = "workflows/panels/awaiting_decision.html"
    order = 90

    def __init__(self, user):
        self.items = awaiting_decision(user)
        # Someone who decides is told when nothing waits, rather than seeing no panel at all.
        self.shown = bool(self.items) or _decides(user)
        self.board_pack_url = reverse("workflows:board_pack") if can_view_board_pack(user) else ""

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.shown else ""

    def get_context_data(self, parent_context=None):
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
