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
# Councillors: they read the intranet and the register's internal view, and take the
# awareness training, but hold no admin access and propose nothing.
MEMBERS = "Members"

ALL_GROUPS = [STAFF, EDITORS, MODERATORS, REGISTER_MANAGERS, LEAD_OFFICERS, HEADS_OF_SERVICE, MANAGEMENT_BOARD, MEMBERS]

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
    # Signed in is all the intranet and the internal register ask.
    MEMBERS: [],
}

# Page permissions on the whole site tree (Wagtail's GroupPagePermission). Editors
# cannot publish: their changes go to a moderator through the page workflow.
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}

_IMAGES = ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"]
_DOCUMENTS = ["wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document"]

# Documents and images are permitted per collection, by collection name (None is the root).
# Wagtail's collection permissions reach every collection below the one granted, so page
# documents sit in "Site documents", a sibling of the register's private collection
# (partnerships.roles adds that one): a grant on the root would open the register's papers.
ROOT_COLLECTION = None
SITE_DOCUMENTS = "Site documents"
COLLECTION_PERMISSIONS = {
    ROOT_COLLECTION: {EDITORS: _IMAGES, MODERATORS: _IMAGES},
    SITE_DOCUMENTS: {EDITORS: _DOCUMENTS, MODERATORS: _DOCUMENTS},
}
