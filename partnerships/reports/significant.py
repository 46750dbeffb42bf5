"""(d) Significant partnerships: annual council contribution above the register settings' threshold."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column

from partnerships.models import RegisterSettings
from partnerships.templatetags.register_tags import money

from . import queries
from .base import (
    CONTRIBUTION_COLUMNS,
    CONTRIBUTION_EXPORT,
    CONTRIBUTION_HEADINGS,
    ENTRY_COLUMNS,
    ENTRY_EXPORT,
    ENTRY_HEADINGS,
    FIGURE,
    EntriesReportView,
    FigureTable,
    yes_no,
)


class SignificantReportView(EntriesReportView):
    """(d) Partnerships whose annual council contribution is above the threshold in the register settings."""

    url_name = "significant"
    menu_label = "Significant partnerships"
    menu_icon = "tag"
    menu_order = 2030
    export_filename = "significant-partnerships"
    verbose_name_plural = "significant partnerships"
    columns = [
        *ENTRY_COLUMNS,
        *CONTRIBUTION_COLUMNS,
        Column(
            "external_funding", label="External funding", accessor=lambda p: money(p.external_funding), classname=FIGURE
        ),
        Column("accountable", label="Accountable body", accessor=lambda p: yes_no(p.accountable_body_for_funds)),
    ]
    list_export = [
        *ENTRY_EXPORT,
        *CONTRIBUTION_EXPORT,
        "external_funding",
        "accountable_body_for_funds",
        "get_risk_rating_display",
    ]
    export_headings = {
        **ENTRY_HEADINGS,
        **CONTRIBUTION_HEADINGS,
        "external_funding": "External funding (£ a year)",
        "accountable_body_for_funds": "Council is accountable body for funds",
        "get_risk_rating_display": "Overall risk rating",
    }

    @cached_property
    def threshold(self):
        return RegisterSettings.load(request_or_site=self.request).significant_threshold

    @property
    def intro(self):
        return (
            f"Partnerships the council is in or proposing to join whose annual council contribution is above "
            f"{money(self.threshold)}, the threshold set in the register settings. They carry extra scrutiny."
        )

    def get_filtered_queryset(self):
        partnerships = super().get_filtered_queryset()
        self.summary = queries.significant_summary(partnerships, self.threshold)
        return queries.significant_partnerships(partnerships, self.threshold)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["summary_table"] = FigureTable(
            "summary",
            "Significant partnerships in total",
            "Measure",
            ("Value",),
            queries.Figures(
                ("Value",),
                (
                    queries.Row("threshold", "Threshold", (money(self.threshold),)),
                    queries.Row("count", "Partnerships above it", (intcomma(self.summary["count"]),)),
                ),
                queries.Row(None, "Their annual council contribution", (money(self.summary["contribution"]),)),
            ),
            format_value=str,
        )
        return context
