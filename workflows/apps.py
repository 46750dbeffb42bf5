from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Approval workflows and reminders"

    def ready(self):
        # Imported here, not at the top: the handlers import models, which are not loaded yet.
        from partnerships.proposals import workflow

        from . import public_reports, review_outcomes, signal_handlers, tasks  # noqa: F401 - tasks: registered with Celery, found there by name
        from .decisions import RegisterProposalWorkflow

        signal_handlers.connect()
        public_reports.connect()
        review_outcomes.connect()
        # The register's proposal screens ask this workflow who endorses and who was told.
        workflow.register(RegisterProposalWorkflow())
