"""The portal's user groups and the permissions each gets (least privilege).

Each app declares its own model permissions in ``<app>/roles.py`` as a
``ROLE_PERMISSIONS`` dict of group name to "app_label.codename" strings;
``setup_portal`` merges them with the ones below and grants exactly that set.
"""

STAFF = "Staff"
EDITORS = "Editors"
MODERATORS = "Moderators"
REGISTER_MANAGERS = "Register managers"
LEAD_OFFICERS = "Lead officers"
HEADS_OF_SERVICE = "Heads of Service"
MANAGEMENT_BOARD = "Management Board"

ALL_GROUPS = [STAFF, EDITORS, MODERATORS, REGISTER_MANAGERS, LEAD_OFFICERS, HEADS_OF_SERVICE, MANAGEMENT_BOARD]

ADMIN_ACCESS = "wagtailadmin.access_admin"
# Whose awareness training is outstanding: for register managers, not every colleague.
VIEW_COLLEAGUES_TRAINING = "portal.view_trainingcompletion"

ROLE_PERMISSIONS = {
    # Intranet readers: page privacy only asks that they are signed in.
    STAFF: [],
    EDITORS: [ADMIN_ACCESS],
    MODERATORS: [ADMIN_ACCESS, "portal.add_questionset", "portal.change_questionset"],
    REGISTER_MANAGERS: [ADMIN_ACCESS, VIEW_COLLEAGUES_TRAINING],
    LEAD_OFFICERS: [ADMIN_ACCESS],
    HEADS_OF_SERVICE: [ADMIN_ACCESS],
    MANAGEMENT_BOARD: [ADMIN_ACCESS],
}

# Page permissions on the whole site tree (Wagtail's GroupPagePermission). Editors
# cannot publish: their changes go to a moderator through the page workflow.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

_MEDIA = [
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
]
# Documents and images are permitted per collection (the root collection here).
COLLECTION_PERMISSIONS = {
    EDITORS: _MEDIA,
    MODERATORS: _MEDIA,
    REGISTER_MANAGERS: ["wagtaildocs.add_document", "wagtaildocs.choose_document"],
    LEAD_OFFICERS: ["wagtaildocs.add_document", "wagtaildocs.choose_document"],
}
