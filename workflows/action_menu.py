"""A proposal's action menu: "Submit" names who endorses next, and only the last step says it publishes."""

from wagtail.snippets.action_menu import SubmitForModerationMenuItem, WorkflowMenuItem

from partnerships.models import Partnership
from partnerships.proposals.completeness import submit_label

from .services import is_final_step


class SubmitForEndorsementMenuItem(SubmitForModerationMenuItem):
    """The proposer's submit button, saying where a proposal goes next."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = submit_label(parent_context["instance"])
        return context


def name_the_next_step(menu_items, request, context):
    """``construct_snippet_action_menu``: relabel a new proposal's submit and workflow actions.

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
