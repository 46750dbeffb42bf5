"""How entries reached the register: Management Board's decision or a recorded back-fill."""

from django.db.models import Count
from django.utils import timezone
from wagtail.admin.ui.tables import Column

from partnerships.models import ApprovalRecord, Partnership

from . import queries
from .base import (
    ENTRY_COLUMNS,
    ENTRY_EXPORT,
    ENTRY_HEADINGS,
    EntriesReportView,
    FigureTable,
)

NO_RECORD = "No approval record"


def _record(partnership):
    try:
        return partnership.approval_record
    except ApprovalRecord.DoesNotExist:
        return None


def _on_record(attribute, missing=""):
    def read(partnership):
        record = _record(partnership)
        return getattr(record, attribute) if record is not None else missing

    return read


def route_label(partnership):
    record = _record(partnership)
    return record.get_route_display() if record is not None else NO_RECORD


def recorded_at(partnership):
    record = _record(partnership)
    return timezone.localtime(record.recorded_at).date() if record is not None else None


class ApprovalRoutesReportView(EntriesReportView):
    """Every published entry and how it got there: Management Board's decision, or a recorded back-fill."""

    url_name = "approval_routes"
    menu_label = "How entries reached the register"
    menu_icon = "tasks"
    menu_order = 2050
    export_filename = "how-entries-reached-the-register"
    verbose_name_plural = "published entries"
    intro = (
        "Every published entry, with the decision that put it on the register: Management Board's approval in "
        "the portal (with its minute), or a register manager's record that it was approved before the portal "
        "(the body, the date, and who recorded it)."
    )
    columns = [
        *ENTRY_COLUMNS,
        Column("route", label="How it was approved", accessor=route_label),
        Column("approved_on", label="Date approved", accessor=_on_record("approved_on")),
        Column("approved_by", label="Approved by", accessor=_on_record("approved_by")),
        Column("minute_reference", label="Minute", accessor=_on_record("minute_reference")),
        Column("recorded_by", label="Recorded by", accessor=_on_record("recorded_by_name")),
        Column("recorded_at", label="Recorded on", accessor=recorded_at),
    ]
    list_export = [
        *ENTRY_EXPORT,
        "route",
        "approved_on",
        "approved_by",
        "minute_reference",
        "recorded_by",
        "recorded_at",
    ]
    export_headings = {
        **ENTRY_HEADINGS,
        "route": "How it was approved",
        "approved_on": "Date approved",
        "approved_by": "Approved by",
        "minute_reference": "Minute reference",
        "recorded_by": "Recorded by",
        "recorded_at": "Recorded on",
    }
    computed = {
        "route": route_label,
        "approved_on": _on_record("approved_on", None),
        "approved_by": _on_record("approved_by"),
        "minute_reference": _on_record("minute_reference"),
        "recorded_by": _on_record("recorded_by_name"),
        "recorded_at": recorded_at,
    }

    def get_queryset(self):
        return (
            Partnership.objects.filter(live=True)
            .select_related("service_area", "lead_officer", "approval_record__recorded_by")
            .order_by("reference")
        )

    def get_filtered_queryset(self):
        partnerships = super().get_filtered_queryset()
        counts = dict(
            partnerships.order_by()
            .values_list("approval_record__route")
            .annotate(n=Count("pk"))
            .values_list("approval_record__route", "n")
        )
        self.route_counts = [
            (route.value, route.label, counts.get(route.value, 0)) for route in ApprovalRecord.Route
        ] + [(None, NO_RECORD, counts.get(None, 0))]
        return partnerships

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        rows = tuple(queries.Row(key, label, (count,)) for key, label, count in self.route_counts)
        context["summary_table"] = FigureTable(
            "routes",
            "Published entries by how they were approved",
            "How it was approved",
            ("Entries",),
            queries.Figures(
                ("Entries",),
                rows,
                queries.Row(None, "Published entries", (sum(count for _, _, count in self.route_counts),)),
            ),
        )
        return context
