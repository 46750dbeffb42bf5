"""The register's permissions per group; ``setup_portal`` merges them with portal.roles.

Lead officers hold add/change on partnerships, but ``PartnershipPermissionPolicy``
limits change to the entries they lead; ``change_any_partnership`` lifts that limit
for register managers. Nobody but register managers publishes directly: lead
officers' edits go through the approval workflow.
"""

from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, MANAGEMENT_BOARD, REGISTER_MANAGERS

REFERENCE_MODELS = ("partnerorganisation", "councilpriority", "servicearea", "area")


def _perms(model, *actions):
    return [f"partnerships.{action}_{model}" for action in actions]


def _view_all():
    return _perms("partnership", "view") + [p for model in REFERENCE_MODELS for p in _perms(model, "view")]


ROLE_PERMISSIONS = {
    REGISTER_MANAGERS: [
        *_perms("partnership", "add", "change", "delete", "view", "publish", "lock", "unlock", "change_any"),
        *[p for model in REFERENCE_MODELS for p in _perms(model, "add", "change", "delete", "view")],
        "partnerships.change_registersettings",
        # Only they record that an entry was approved before the portal (partnerships.backfill).
        "partnerships.record_backfill",
        # They look after the register, so they can open anyone's decision tree result.
        "screening.view_screeningrecord",
    ],
    LEAD_OFFICERS: [
        *_perms("partnership", "add", "change", "view"),
        # A proposal may name a partner body the register does not know yet.
        *_perms("partnerorganisation", "add", "view"),
        *_perms("councilpriority", "view"),
        *_perms("servicearea", "view"),
        *_perms("area", "view"),
    ],
    HEADS_OF_SERVICE: _view_all(),
    MANAGEMENT_BOARD: _view_all(),
}

# --- Progress reports and annual reviews: records, added by whoever answers for the
# entry (reviews.viewsets.partnerships_for narrows which); only register managers correct them.
_REVIEW_MODELS = ("progressreport", "annualreview")
ROLE_PERMISSIONS[REGISTER_MANAGERS] += [p for m in _REVIEW_MODELS for p in _perms(m, "add", "change", "delete", "view")]
ROLE_PERMISSIONS[LEAD_OFFICERS] += [p for m in _REVIEW_MODELS for p in _perms(m, "add", "view")]
ROLE_PERMISSIONS[HEADS_OF_SERVICE] += [p for m in _REVIEW_MODELS for p in _perms(m, "add", "view")]
ROLE_PERMISSIONS[MANAGEMENT_BOARD] += [p for m in _REVIEW_MODELS for p in _perms(m, "view")]

# --- Register reports: every entry's figures (permissions.can_view_reports); the Cabinet
# exception report goes to those who put it before Cabinet.
ROLE_PERMISSIONS[REGISTER_MANAGERS] += [
    "partnerships.view_register_reports",
    "partnerships.view_cabinet_exception_report",
]
ROLE_PERMISSIONS[MANAGEMENT_BOARD] += [
    "partnerships.view_register_reports",
    "partnerships.view_cabinet_exception_report",
]
ROLE_PERMISSIONS[HEADS_OF_SERVICE] += ["partnerships.view_register_reports"]

# --- Internal documents: business cases, terms of reference, meeting papers ---
# Their own collection, restricted to these roles (partnerships.setup), and permitted on that
# collection alone: page editors and moderators hold no document permission that reaches it.
REGISTER_DOCUMENTS = "Register documents"
REGISTER_ROLES = (REGISTER_MANAGERS, LEAD_OFFICERS, HEADS_OF_SERVICE, MANAGEMENT_BOARD)
COLLECTION_PERMISSIONS = {
    REGISTER_DOCUMENTS: {
        role: ["wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document"]
        for role in REGISTER_ROLES
    }
}

# --- Reports from the public (a problem with an entry, feedback): register managers read and resolve them.
ROLE_PERMISSIONS[REGISTER_MANAGERS] += ["partnerships.view_publicreport", "partnerships.resolve_publicreport"]
