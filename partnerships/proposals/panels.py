"""The panel at the top of a proposal's edit form: what stands between the proposer and submitting."""

from wagtail.admin.panels import Panel
from wagtail.models import WorkflowState

from ..models import Status
from . import completeness


class ProposalProgressPanel(Panel):
    """At the top of the entry's form: what stands between the proposer and submitting, as they go."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "partnerships/proposal/progress.html"

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
                completeness=completeness.check(self.instance, proposer=proposer),
                change_request=state.current_task_state if returned else None,
                submit_label=completeness.submit_label(self.instance),
                head_name=self.instance.head_of_service_name() if self.instance.head_of_service_id else "",
            )
            return context
