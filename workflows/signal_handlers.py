"""Wagtail's workflow signals, answered with notifications sent by Celery after commit.

Connected by ``connect()`` (called from ``WorkflowsConfig.ready()``), which first
disconnects Wagtail's own notifiers (they send inside the request and drop mail on an
SMTP error). Every
workflow is covered, pages included; register entries get the richer treatment
(the Head of Service and register managers are told, and the Board's minute).

Each notification's step names the TaskState or WorkflowState it is about, so the
unique key in ``Notification`` makes every email go once however often a signal or
a task runs.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail import signals as wagtail_signals
from wagtail.admin.utils import get_user_display_name
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, WorkflowState

from partnerships.models import Partnership
from partnerships.models.proposal import REGISTER_MODERATION_WORKFLOW
from portal.roles import REGISTER_MANAGERS

from . import decisions, services
from .models import HeadOfServiceTask
from .notifications import absolute_url, notify

# Wagtail's in-request workflow email notifiers (wagtail/admin/signal_handlers.py).
WAGTAIL_NOTIFIERS = {
    "task_submitted": "group_approval_task_submitted_email_notification",
    "workflow_submitted": "workflow_state_submitted_email_notification",
    "workflow_rejected": "workflow_state_rejected_email_notification",
    "workflow_approved": "workflow_state_approved_email_notification",
}

EVENTS = {
    # event: (template, what the link invites the reader to do)
    "submitted": ("workflow_submitted", "Review and decide"),
    "endorsed": ("workflow_endorsed", "Open the proposal"),
    "approved": ("workflow_approved", "Open the entry"),
    "changes_requested": ("workflow_changes_requested", "Make the changes"),
    "declined": ("workflow_declined", "Open the proposal"),
    "cancelled": ("workflow_cancelled", "Open it in the admin"),
}


def subject_of(workflow_state):
    obj = workflow_state.content_object
    return obj.specific if isinstance(obj, Page) else obj


def kind_of(obj, workflow_state):
    if isinstance(obj, Partnership):
        return "proposal" if workflow_state.workflow.name != REGISTER_MODERATION_WORKFLOW else "entry"
    return "page" if isinstance(obj, Page) else "item"


def admin_url(obj, view):
    """The admin page to link to: a register entry's review page (inspect) or edit view; a page's edit view."""
    if isinstance(obj, Page):
        return reverse("wagtailadmin_pages:edit", args=[obj.pk])
    viewset = obj.snippet_viewset
    if view == "inspect" and viewset.inspect_view_enabled:
        return reverse(viewset.get_url_name("inspect"), args=[obj.pk])
    return reverse(viewset.get_url_name("edit"), args=[obj.pk])


def approvers(task_state):
    """Who can act on this step: the task says for our tasks; a group task's members otherwise."""
    workflow_state = task_state.workflow_state
    task = task_state.task.specific
    obj = subject_of(workflow_state)
    if hasattr(task, "approvers"):
        if isinstance(obj, Partnership):
            obj = task_state.revision.as_object()  # as submitted: the Head of Service it names
        return task.approvers(obj, workflow_state)
    if isinstance(task, AbstractGroupApprovalTask):
        members = get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True).distinct()
        return list(members.exclude(pk=workflow_state.requested_by_id))
    return []


def followers(workflow_state):
    """Who hears how it ended: the proposer; for a register entry also its Head of Service and register managers."""
    people = [workflow_state.requested_by] if workflow_state.requested_by else []
    obj = subject_of(workflow_state)
    if isinstance(obj, Partnership):
        entry = services.latest(obj)
        if entry.head_of_service:
            people.append(entry.head_of_service)
        people += list(get_user_model().objects.filter(groups__name=REGISTER_MANAGERS, is_active=True))
    return people


def send(event, workflow_state, recipients, *, step, actor=None, task_state=None, **context):
    obj = subject_of(workflow_state)
    template, action_label = EVENTS[event]
    task_state = task_state.specific if task_state is not None else None
    view = "edit" if event == "changes_requested" or isinstance(obj, Page) else "inspect"
    return notify(
        event=event,
        recipients=[user for user in recipients if user and (actor is None or user.pk != actor.pk)],
        obj=obj,
        step=step,
        template=template,
        context={
            "title": str(obj),
            "reference": getattr(obj, "reference", ""),
            "kind": kind_of(obj, workflow_state),
            "workflow_name": workflow_state.workflow.name,
            "step_name": task_state.task.name if task_state else "",
            "actor_name": get_user_display_name(actor),
            "proposer_name": get_user_display_name(workflow_state.requested_by),
            "comment": task_state.comment if task_state else "",
            "minute_reference": getattr(task_state, "minute_reference", ""),
            "action_url": absolute_url(admin_url(obj, view)),
            "action_label": action_label,
            **context,
        },
    )


def reached_by_endorsement(task_state):
    """Whether this step starts because the Head of Service has just endorsed (the "endorsed" email says so)."""
    previous = (
        TaskState.objects.filter(workflow_state_id=task_state.workflow_state_id)
        .exclude(pk=task_state.pk)
        .order_by("-started_at", "-pk")
        .first()
    )
    return bool(
        previous
        and previous.status == TaskState.STATUS_APPROVED
        and HeadOfServiceTask.objects.filter(pk=previous.task_id).exists()
    )


def reendorsement_context(task_state):
    """For a proposal back at the Head of Service after changes: the request, and a link to what changed."""
    if not isinstance(task_state.task.specific, HeadOfServiceTask):
        return {}
    endorsed = decisions.endorsement_before(task_state)
    returned = decisions.changes_requested_before(task_state)
    if endorsed is None or returned is None:
        return {}
    obj = subject_of(task_state.workflow_state)
    compare = reverse(
        obj.snippet_viewset.get_url_name("revisions_compare"),
        args=(obj.pk, endorsed.revision_id, task_state.revision_id),
    )
    return {
        "changes_url": absolute_url(compare),
        "endorsed_by": get_user_display_name(endorsed.finished_by),
        "endorsed_on": endorsed.finished_at,
        "returned_by": get_user_display_name(returned.finished_by),
        "returned_step": returned.task.name,
        "returned_comment": returned.comment,
    }


def task_submitted(sender, instance, user=None, **kwargs):
    services.step_started(instance)
    if reached_by_endorsement(instance):
        return
    send(
        "submitted",
        instance.workflow_state,
        approvers(instance),
        step=f"task-state:{instance.pk}",
        actor=user,
        task_state=instance,
        **reendorsement_context(instance),
    )


def task_approved(sender, instance, user=None, **kwargs):
    if not isinstance(instance.task.specific, HeadOfServiceTask):
        return
    workflow_state = instance.workflow_state
    next_state = workflow_state.current_task_state
    in_progress = (
        next_state is not None and next_state.pk != instance.pk and next_state.status == TaskState.STATUS_IN_PROGRESS
    )
    recipients = [workflow_state.requested_by, *(approvers(next_state) if in_progress else [])]
    send(
        "endorsed",
        workflow_state,
        recipients,
        step=f"task-state:{instance.pk}",
        actor=user,
        task_state=instance,
        next_step_name=next_state.task.name if in_progress else "",
    )


def workflow_approved(sender, instance, user=None, **kwargs):
    send(
        "approved",
        instance,
        followers(instance),
        step=f"workflow-state:{instance.pk}",
        actor=user,
        task_state=instance.current_task_state,
        entry=services.latest(subject_of(instance)) if isinstance(subject_of(instance), Partnership) else None,
    )


def workflow_rejected(sender, instance, user=None, **kwargs):
    services.returned_to_proposer(instance)
    task_state = instance.current_task_state
    send(
        "changes_requested",
        instance,
        followers(instance),
        step=f"task-state:{task_state.pk}",
        actor=user,
        task_state=task_state,
    )


def proposal_declined(sender, instance, user=None, **kwargs):
    send(
        "declined",
        instance.workflow_state,
        followers(instance.workflow_state),
        step=f"task-state:{instance.pk}",
        actor=user,
        task_state=instance,
    )


def workflow_cancelled(sender, instance, user=None, **kwargs):
    services.returned_to_proposer(instance)
    task_state = instance.current_task_state
    recipients = [instance.requested_by, *(approvers(task_state) if task_state else [])]
    send(
        "cancelled",
        instance,
        recipients,
        step=f"workflow-state:{instance.pk}",
        actor=user,
        task_state=task_state,
    )


def connect():
    """Answer the workflow signals with our notifications instead of Wagtail's.

    Wagtail sends its emails inside the request and drops them on an SMTP error; ours
    are recorded in the transaction and sent by Celery after commit. This app comes
    after wagtail.admin in INSTALLED_APPS, so Wagtail's are connected by the time this runs.
    """
    for signal_name, dispatch_uid in WAGTAIL_NOTIFIERS.items():
        sender = TaskState if signal_name.startswith("task_") else WorkflowState
        getattr(wagtail_signals, signal_name).disconnect(sender=sender, dispatch_uid=dispatch_uid)

    # Task signals are sent by the specific TaskState class, so no sender filter.
    wagtail_signals.task_submitted.connect(task_submitted, dispatch_uid="workflows_task_submitted")
    wagtail_signals.task_approved.connect(task_approved, dispatch_uid="workflows_task_approved")
    for handler in (workflow_approved, workflow_rejected, workflow_cancelled):
        name = handler.__name__
        getattr(wagtail_signals, name).connect(handler, sender=WorkflowState, dispatch_uid=f"workflows_{name}")
    services.proposal_declined.connect(proposal_declined, dispatch_uid="workflows_proposal_declined")
