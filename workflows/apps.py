from django.apps import AppConfig

# Wagtail's in-request workflow email notifiers (wagtail/admin/signal_handlers.py).
WAGTAIL_NOTIFIERS = {
    "task_submitted": "group_approval_task_submitted_email_notification",
    "workflow_submitted": "workflow_state_submitted_email_notification",
    "workflow_rejected": "workflow_state_rejected_email_notification",
    "workflow_approved": "workflow_state_approved_email_notification",
}


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Approval workflows and reminders"

    def ready(self):
        from wagtail import signals as wagtail_signals
        from wagtail.models import TaskState, WorkflowState

        from . import services, signals

        # Wagtail sends these emails inside the request and drops them on an SMTP
        # error; ours are recorded in the transaction and sent by Celery after commit.
        # This app comes after wagtail.admin in INSTALLED_APPS, so they are connected by now.
        for signal_name, dispatch_uid in WAGTAIL_NOTIFIERS.items():
            sender = TaskState if signal_name.startswith("task_") else WorkflowState
            getattr(wagtail_signals, signal_name).disconnect(sender=sender, dispatch_uid=dispatch_uid)

        # Task signals are sent by the specific TaskState class, so no sender filter.
        wagtail_signals.task_submitted.connect(signals.task_submitted, dispatch_uid="workflows_task_submitted")
        wagtail_signals.task_approved.connect(signals.task_approved, dispatch_uid="workflows_task_approved")
        for name in ("workflow_approved", "workflow_rejected", "workflow_cancelled"):
            getattr(wagtail_signals, name).connect(
                getattr(signals, name), sender=WorkflowState, dispatch_uid=f"workflows_{name}"
            )
        services.proposal_declined.connect(signals.proposal_declined, dispatch_uid="workflows_proposal_declined")

        # The approval workflow's admin registrations, whatever wagtail_hooks holds.
        from . import approval_hooks  # noqa: F401
