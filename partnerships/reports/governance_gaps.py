"""(e) Entries missing a piece of governance the Framework asks for."""

from django.contrib.humanize.templatetags.humanize import intcomma
from wagtail.admin.ui.tables import Column

from partnerships.models import GOVERNANCE_GAPS

from . import queries
from .base import (
    ENTRY_COLUMNS,
    ENTRY_EXPORT,
    ENTRY_HEADINGS,
    EntriesReportView,
    FigureTable,
)


def missing(partnership):
    return "; ".join(partnership.governance_gaps())


class GovernanceGapsReportView(EntriesReportView):
    """(e) Entries missing a piece of governance the Framework asks for, one row each, with counts per gap."""

    url_name = "governance_gaps"
    menu_label = "Governance gaps"
    menu_icon = "warning"
    menu_order = 2040
    export_filename = "governance-gaps"
    verbose_name_plural = "entries with governance gaps"
    intro = (
        "Partnerships the council is in or proposing to join that lack agreed terms of reference, a risk "
        "assessment (any entry in the risk register), an equality impact answer or a business case "
        "(written in the proposal or uploaded)."
    )
    columns = [*ENTRY_COLUMNS, Column("gaps", label="Missing", accessor=missing)]
    # The download adds a Yes/No column per gap, for filtering in a spreadsheet.
    list_export = [*ENTRY_EXPORT, "gaps", *GOVERNANCE_GAPS]
    export_headings = {**ENTRY_HEADINGS, "gaps": "Missing", **GOVERNANCE_GAPS}

    computed = {"gaps": missing}

    def get_filtered_queryset(self):
        partnerships = super().get_filtered_queryset()
        self.counts = queries.gap_counts(partnerships)
        return queries.governance_gaps(partnerships)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = tuple(queries.Row(name, label, (self.counts[name],)) for name, label in GOVERNANCE_GAPS.items())
        context["summary_table"] = FigureTable(
            "gap-counts",
            "Entries with each gap",
            "Gap",
            ("Entries",),
            queries.Figures(
                ("Entries",),
                rows,
                queries.Row(
                    None,
                    f"Entries with any gap (of {intcomma(self.counts['entries'])} checked)",
                    (self.counts["any_gap"],),
                ),
            ),
        )
        return context
