from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Approval workflows and reminders"

    def ready(self):
        # Imported here, not at the top: the handlers import models, which are not loaded yet.
        from . import signal_handlers

        signal_handlers.connect()
