"""What the approval workflow does to a register entry at each step.

Wagtail's workflow engine keeps the steps (``WorkflowState``/``TaskState``) and logs
them; these services keep the entry's own lifecycle in step with it: awaiting
approval while in the workflow, proposed again when changes are requested,
active (with its first due dates) when Management Board approves, rejected when it
declines.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Task, TaskState, WorkflowState
from wagtail.signals import workflow_approved

from partnerships.lifecycle import latest, record_on_entry
from partnerships.models import ApprovalRecord, Partnership, Status
from partnerships.reviews.due_dates import first_due_dates
from portal.roles import MANAGEMENT_BOARD

DECLINE_ACTION = "partnerships.decline"

# Sent when Management Board declines a proposal (final), with the declined TaskState.
proposal_declined = Signal()


def due_dates(approved_on):
    return first_due_dates(approved_on)


def _proposal(workflow_state):
    obj = workflow_state.content_object
    if not isinstance(obj, Partnership):
        return None
    entry = latest(obj)
    return entry if entry.is_new_proposal else None


def step_started(task_state):
    """A proposal that reaches a step of its approval is awaiting approval."""
    entry = _proposal(task_state.workflow_state)
    if entry is not None and entry.status != Status.AWAITING_APPROVAL:
        record_on_entry(entry, task_state.workflow_state.requested_by, status=Status.AWAITING_APPROVAL)


def returned_to_proposer(workflow_state):
    """Changes requested, or the proposal withdrawn: it is the proposer's to work on again."""
    entry = _proposal(workflow_state)
    if entry is not None and entry.status != Status.PROPOSED:
        record_on_entry(entry, workflow_state.requested_by, status=Status.PROPOSED)


def is_final_step(task_state):
    """Whether ``task_state`` is at its workflow's last step.

    Not ``WorkflowState.is_at_final_task``: that counts a step approved in an earlier
    round as done, so a proposal back at the Head of Service for re-endorsement would
    look as if it were at the Board.
    """
    last = (
        Task.objects.filter(workflow_tasks__workflow_id=task_state.workflow_state.workflow_id, active=True)
        .order_by("workflow_tasks__sort_order")
        .last()
    )
    return last is not None and task_state.task_id == last.pk


@transaction.atomic
def resume_from_first_step(workflow_state, user):
    """Resubmit a proposal returned for changes to the workflow's first step, not to the step that returned it.

    A proposal changed after the Board asked for changes is endorsed again (DESIGN:
    separation of duties), so this is Wagtail's ``WorkflowState.resume()`` with the
    first step as the next task. The same workflow state carries on, so its history
    keeps every round: the first endorsement, the request for changes, the new round.
    """
    # Afresh: the edit view's copy caches the entry as it was before this submission's revision,
    # and the first step must record the revision submitted.
    workflow_state = WorkflowState.objects.get(pk=workflow_state.pk)
    if workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        raise PermissionDenied
    first = workflow_state.workflow.tasks.filter(active=True).first()
    returned = workflow_state.current_task_state
    workflow_state.current_task_state = None
    workflow_state.status = WorkflowState.STATUS_IN_PROGRESS
    workflow_state.save()
    entry = workflow_state.content_object
    log(
        instance=entry,
        action="wagtail.workflow.resume",
        data={
            "workflow": {
                "id": workflow_state.workflow_id,
                "title": workflow_state.workflow.name,
                "status": workflow_state.status,
                "task_state_id": returned.pk,
                "task": {"id": first.pk, "title": first.name},
            }
        },
        revision=entry.latest_revision,
        user=user,
    )
    workflow_state.update(user=user, next_task=first)
    return workflow_state


@transaction.atomic
def approve_step(task_state, user, comment=""):
    """Approve one step; approving the last step of a proposal's approval makes the entry active and live.

    Wagtail finishes a workflow by publishing as the approver, which needs the
    model's publish permission. Management Board's authority to publish a proposal
    is its step in this workflow, not a permission it holds on every entry, so the
    final step is finished here with the permission check skipped; every other
    step, and every other workflow, goes through Wagtail's own ``approve``.
    """
    workflow_state = task_state.workflow_state
    obj = workflow_state.content_object
    if not (isinstance(obj, Partnership) and is_final_step(task_state)):
        return task_state.approve(user=user, comment=comment)

    if latest(obj).is_new_proposal:
        today = timezone.localdate()
        record_on_entry(obj, user, status=Status.ACTIVE, **due_dates(today))
        # The Board's decision is what lets the entry go live (Partnership.save checks for it).
        ApprovalRecord.objects.create(
            partnership_id=obj.pk,
            route=ApprovalRecord.Route.BOARD,
            approved_on=today,
            approved_by=MANAGEMENT_BOARD,
            minute_reference=getattr(task_state, "minute_reference", ""),
            task_state=task_state,
            recorded_by=user,
        )
    task_state.approve(user=user, update=False, comment=comment)
    # As WorkflowState.finish(), but publishing under the workflow's authority.
    workflow_state.status = WorkflowState.STATUS_APPROVED
    workflow_state.save()
    Partnership.objects.get(pk=obj.pk).get_latest_revision().publish(user=user, skip_permission_checks=True)
    workflow_approved.send(sender=WorkflowState, instance=workflow_state, user=user)
    return task_state


@transaction.atomic
def decline(task_state, user, comment):
    """Management Board declines a proposal: final. The entry is kept, rejected, and never public."""
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied
    workflow_state = task_state.workflow_state
    task_state.status = TaskState.STATUS_REJECTED
    task_state.declined = True
    task_state.finished_at = timezone.now()
    task_state.finished_by = user
    task_state.comment = comment
    task_state.save()
    # Closed, not "needs changes": nothing can resume it.
    workflow_state.status = WorkflowState.STATUS_CANCELLED
    workflow_state.save()

    entry, _ = record_on_entry(workflow_state.content_object, user, status=Status.REJECTED)
    log(
        instance=entry,
        action=DECLINE_ACTION,
        user=user,
        revision=task_state.revision,
        data={
            "workflow": {
                "id": workflow_state.workflow_id,
                "title": workflow_state.workflow.name,
                "status": workflow_state.status,
                "task_state_id": task_state.pk,
                "task": {"id": task_state.task_id, "title": task_state.task.name},
            },
            "comment": task_state.get_comment(),
        },
    )
    proposal_declined.send(sender=type(task_state), instance=task_state, user=user)
    return task_state
