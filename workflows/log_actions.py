"""How the history of a proposal words a decline, which Wagtail's own log actions do not know."""

from wagtail.log_actions import LogFormatter


class DeclineFormatter(LogFormatter):
    label = "Workflow: decline"

    def format_message(self, log_entry):
        try:
            return f"Declined at '{log_entry.data['workflow']['task']['title']}'. The proposal is closed"
        except (KeyError, TypeError):
            return "Proposal declined"

    def format_comment(self, log_entry):
        return log_entry.data.get("comment", "")
