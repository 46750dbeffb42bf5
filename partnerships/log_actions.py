"""How the register's own actions read in an entry's history."""

from wagtail.log_actions import LogFormatter


class LockTakenOverFormatter(LogFormatter):
    """A register manager unlocking an entry someone else holds: its own line in the entry's history."""

    label = "Take over lock"

    def format_message(self, log_entry):
        holder = (log_entry.data or {}).get("locked_by", {}).get("name", "another user")
        return f"Took over the lock held by {holder}"
