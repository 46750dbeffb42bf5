"""What a decision on a proposal tells the people on the register's screens.

The register's proposal screens (``partnerships.proposals``) ask the approval workflow
these questions through ``partnerships.proposals.workflow``; this module answers them.
"""

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.models import TaskState, WorkflowState

from partnerships.lifecycle import latest
from partnerships.proposals.workflow import ProposalWorkflow

from . import services
from .models import BoardApprovalTask, HeadOfServiceTask, Notification, step_decider_ids

# The notifications a decision sends (workflows.signal_handlers), whose recipients the decider is told of.
DECISION_EVENTS = ("endorsed", "approved", "changes_requested", "declined")


def decision_message(task_state_id, action):
    """What the decider just did, where the proposal is now, and who was told by email; None if nothing was done."""
    state = TaskState.objects.select_related("workflow_state", "task").get(pk=task_state_id).specific
    if state.status == TaskState.STATUS_IN_PROGRESS:
        return None
    workflow_state = state.workflow_state
    entry = latest(workflow_state.content_object)
    name = f"“{entry.name}” ({entry.reference})"
    if action == "decline" or getattr(state, "declined", False):
        what = f"You declined {name}. The decision is final: it is kept on record and never published."
    elif action == "reject":
        author = get_user_display_name(workflow_state.requested_by)
        what = f"You asked for changes to {name}. It is back with {author} to amend."
    elif workflow_state.status == WorkflowState.STATUS_APPROVED:
        what = f"You approved {name}." + (" It is now on the register." if entry.live else "")
    elif isinstance(state.task.specific, HeadOfServiceTask):
        what = f"You endorsed {name}. It goes to {workflow_state.current_task_state.task.name} next."
    else:
        what = f"You approved {name} at {state.task.name}."
    told = (
        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
            object_id=str(entry.pk),
            event__in=DECISION_EVENTS,
            step__in=[f"task-state:{state.pk}", f"workflow-state:{workflow_state.pk}"],
        )
        .select_related("recipient")
        .order_by("recipient__first_name", "recipient__last_name")
    )
    names = [get_user_display_name(notification.recipient) for notification in told]
    if names:
        return f"{what} Told by email: {', '.join(names)}."
    return f"{what} Nobody was told by email: no one concerned has an email address."


def endorsements_before(task_states):
    """{task state pk: the last endorsement of its proposal before it, or None}, in one query for them all.

    An endorsement is the Head of Service step approved earlier in the same workflow.
    """
    approvals = (
        TaskState.objects.filter(
            workflow_state_id__in={state.workflow_state_id for state in task_states},
            task_id__in=HeadOfServiceTask.objects.values("pk"),
            status=TaskState.STATUS_APPROVED,
        )
        .select_related("finished_by", "revision")
        .order_by("started_at", "pk")
    )
    by_workflow = {}
    for approval in approvals:
        by_workflow.setdefault(approval.workflow_state_id, []).append(approval)
    return {
        state.pk: next(
            (a for a in reversed(by_workflow.get(state.workflow_state_id, [])) if a.started_at < state.started_at),
            None,
        )
        for state in task_states
    }


def endorsement_before(task_state):
    """The last endorsement of this proposal before ``task_state``."""
    return endorsements_before([task_state])[task_state.pk]


def changes_requested_before(task_state):
    """The request for changes that sent this proposal back before ``task_state`` started, if any."""
    return (
        TaskState.objects.filter(
            workflow_state_id=task_state.workflow_state_id,
            status=TaskState.STATUS_REJECTED,
            started_at__lt=task_state.started_at,
        )
        .select_related("finished_by", "task")
        .order_by("-started_at", "-pk")
        .first()
    )


def changed_fields(entry, revision_a, revision_b, request):
    """Wagtail's comparison of two revisions (as its compare view makes it): the fields that differ."""
    panel = entry.snippet_viewset.get_edit_handler().get_bound_panel(instance=entry, request=request, form=None)
    a, b = revision_a.as_object(), revision_b.as_object()
    return [diff for diff in (comparison(a, b) for comparison in panel.get_comparison()) if diff.has_changed()]


def reendorsement(entry, request):
    """A proposal back at the Head of Service after a request for changes: who asked for what,
    the endorsement given before, and what has changed since (with Wagtail's revision compare)."""
    state = entry.current_workflow_task_state
    if state is None or not isinstance(state.task.specific, HeadOfServiceTask):
        return None
    endorsed = endorsement_before(state)
    if endorsed is None:
        return None
    viewset = entry.snippet_viewset
    return {
        "endorsed": endorsed,
        "endorsed_by": get_user_display_name(endorsed.finished_by),
        "returned": changes_requested_before(state),
        "changes": changed_fields(entry, endorsed.revision, state.revision, request),
        "compare_url": reverse(
            viewset.get_url_name("revisions_compare"), args=(quote(entry.pk), endorsed.revision_id, state.revision_id)
        ),
    }


class RegisterProposalWorkflow(ProposalWorkflow):
    """The Head of Service and Management Board steps, as the register's proposal screens see them."""

    def is_endorsement_step(self, task):
        return isinstance(task, HeadOfServiceTask)

    def board_decider_ids(self, entry):
        return step_decider_ids(entry, BoardApprovalTask)

    def resume_from_first_step(self, workflow_state, user):
        services.resume_from_first_step(workflow_state, user)
        return True

    def decision_message(self, task_state_id, action):
        return decision_message(task_state_id, action)

    def reendorsement(self, entry, request):
        return reendorsement(entry, request)
