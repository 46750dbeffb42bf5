"""The workflows app's permissions per group; ``setup_portal`` merges them with portal.roles.

Approvers need no permission for their step: the task decides who acts (see
workflows.models), and Management Board publishes a proposal it approves under
the workflow's authority, not a publish permission on every entry.
"""

from portal.roles import MANAGEMENT_BOARD, REGISTER_MANAGERS

DECISION_LOG = "workflows.view_decision_log"
# The proposals awaiting the Board, as papers for its meeting.
BOARD_PACK = "workflows.view_board_pack"
# Failed notifications: seen, and sent again, by register managers.
NOTIFICATIONS = ["workflows.view_notification", "workflows.change_notification"]

ROLE_PERMISSIONS = {
    REGISTER_MANAGERS: [*NOTIFICATIONS, DECISION_LOG, BOARD_PACK],
    MANAGEMENT_BOARD: [DECISION_LOG, BOARD_PACK],
}
