"""What the proposal screens ask of the approval workflow that decides on them.

The register sits below the workflow and never imports it: the workflow app puts its
answers here when it loads (in its ``AppConfig.ready()``). Until it does, a proposal has
no endorsement step, no Board decider to keep from endorsing, and nothing to say after a
decision beyond Wagtail's own messages.
"""


class ProposalWorkflow:
    """The answers of a register without an approval workflow of its own; the workflow app overrides them."""

    def is_endorsement_step(self, task):
        """Whether ``task`` (a Wagtail task) is the Head of Service's endorsement."""
        return False

    def board_decider_ids(self, entry):
        """Who decided on this proposal at the Management Board step, in any round."""
        return set()

    def resume_from_first_step(self, workflow_state, user):
        """Resubmit a proposal returned for changes; False leaves it to Wagtail's own resubmission."""
        return False

    def decision_message(self, task_state_id, action):
        """What the decider just did and who was told, or None."""
        return None

    def reendorsement(self, entry, request):
        """For a proposal back at its Head of Service: the earlier endorsement and what changed since, or None."""
        return None


_current = ProposalWorkflow()


def register(workflow):
    global _current
    _current = workflow


def current():
    return _current
