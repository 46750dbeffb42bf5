"""Partnerships supporting no council priority: the candidates for rationalisation.

The council means to focus its limited resources on partnerships that serve its
strategic priorities (Wyre Forest 5.2, Wirral 2.4). An entry the council is in counts
here when it names no council priority that is still current: none at all, or only
priorities since retired.
"""

from django.db.models import Exists, OuterRef
from wagtail.admin.ui.tables import Column

from partnerships.models import CouncilPriority

from . import queries
from .base import (
    CONTRIBUTION_COLUMNS,
    CONTRIBUTION_EXPORT,
    CONTRIBUTION_HEADINGS,
    ENTRY_COLUMNS,
    ENTRY_EXPORT,
    ENTRY_HEADINGS,
    EntriesReportView,
)


def retired_priorities(partnership):
    return "; ".join(priority.name for priority in partnership.council_priorities.all()) or "None given"


def supporting_no_priority(queryset):
    """Entries the council is in now that name no current council priority."""
    current_priority = CouncilPriority.objects.filter(active=True, partnerships=OuterRef("pk"))
    return (
        queries.current(queryset)
        .filter(~Exists(current_priority))
        .with_people()
        .prefetch_related("council_priorities")
        .order_by("-annual_contribution", "reference", "pk")
    )


class NoPriorityReportView(EntriesReportView):
    """Partnerships the council is in that support none of its current priorities, the costliest first."""

    url_name = "no_priority"
    menu_label = "Partnerships supporting no priority"
    menu_icon = "warning"
    menu_order = 2045
    export_filename = "partnerships-supporting-no-priority"
    verbose_name_plural = "partnerships supporting no council priority"
    intro = (
        "Partnerships the council is in (active, under review or exiting) that name none of its current "
        "priorities, the largest annual contribution first: the first to look at when rationalising the "
        "council's involvement. Retired priorities an entry still names are shown."
    )
    columns = [
        *ENTRY_COLUMNS,
        *CONTRIBUTION_COLUMNS,
        Column("priorities", label="Priorities named", accessor=retired_priorities),
    ]
    list_export = [*ENTRY_EXPORT, *CONTRIBUTION_EXPORT, "priorities"]
    export_headings = {
        **ENTRY_HEADINGS,
        **CONTRIBUTION_HEADINGS,
        "priorities": "Priorities named (none current)",
    }
    computed = {"priorities": retired_priorities}

    def get_filtered_queryset(self):
        return supporting_no_priority(super().get_filtered_queryset())
