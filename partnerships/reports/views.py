"""The register's reports, in the order of the admin's Reports menu, and their menu items.

One module per report; ``base`` holds what they share.
"""

from django.urls import reverse

from portal.menu import PermissionMenuItem

from ..permissions import can_view_reports
from .approval_routes import ApprovalRoutesReportView
from .by_type import ByTypeReportView
from .by_year import ActiveByYearReportView
from .governance_gaps import GovernanceGapsReportView
from .money import MoneyReportView
from .no_priority import NoPriorityReportView
from .retrospective import RetrospectiveReviewReportView
from .significant import SignificantReportView

REPORT_VIEWS = [
    ActiveByYearReportView,
    ByTypeReportView,
    MoneyReportView,
    SignificantReportView,
    GovernanceGapsReportView,
    NoPriorityReportView,
    ApprovalRoutesReportView,
    RetrospectiveReviewReportView,
]


def _menu_item_maker(view_class):
    def make():
        return PermissionMenuItem(
            view_class.menu_label,
            reverse(f"partnerships_reports:{view_class.url_name}"),
            name=f"register-{view_class.url_name.replace('_', '-')}",
            icon_name=view_class.menu_icon,
            order=view_class.menu_order,
            allowed=can_view_reports,
        )

    return make


# One callable per report for the ``register_reports_menu_item`` hook (wagtail_hooks.py).
MENU_ITEMS = [_menu_item_maker(view_class) for view_class in REPORT_VIEWS]
