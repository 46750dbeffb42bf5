"""The register's reports in the Wagtail admin's Reports menu, each downloadable as CSV or XLSX.

Two kinds, both Wagtail ``ReportView``s so they share the admin's header, filter
drawer and spreadsheet export:

- figure reports (by year, by type, money) show tables of aggregated figures, with
  a chart where a picture helps; each table downloads on its own (``?table=``);
- list reports (significant partnerships, governance gaps) list entries 50 to a page
  and download in full.

Only register managers, Management Board and Heads of Service see them: the figures
cover every entry, including the money and governance that lead officers see only
for their own.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr

from partnerships.admin_views import forbidden
from partnerships.models import GOVERNANCE_GAPS, ApprovalRecord, Geography, Partnership, RegisterSettings
from partnerships.spreadsheet import NeutralisedExportMixin
from partnerships.templatetags.register_tags import money
from portal.menu import PermissionMenuItem
from portal.roles import HEADS_OF_SERVICE, MANAGEMENT_BOARD, REGISTER_MANAGERS

from . import charts, queries
from .filters import ServiceAreaFilterSet, YearRangeFilterSet

REPORT_GROUPS = (REGISTER_MANAGERS, MANAGEMENT_BOARD, HEADS_OF_SERVICE)
INSPECT_URL = "wagtailsnippets_partnerships_partnership:inspect"
FIGURE = "register-figure"  # right-aligned, tabular figures (report.html)
# The commonest levels (district, county) get the most distinct colours.
GEOGRAPHY_COLOURS = {
    Geography.NATIONAL: "#505a5f",
    Geography.REGIONAL: "#4c2c92",
    Geography.COUNTY: "#00703c",
    Geography.SUB_REGIONAL: "#912b88",
    Geography.DISTRICT: "#1d70b8",
    Geography.SUB_DISTRICT: "#d4351c",
}


def can_view_reports(user):
    """Register managers, Management Board and Heads of Service (and superusers).

    Lead officers hold the same view permission on entries as the Board, so the
    test is membership of a reporting group; it is remembered on the user object
    because the menu asks once per report on every admin page.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_can_view_register_reports"):
        user._can_view_register_reports = user.groups.filter(name__in=REPORT_GROUPS).exists()
    return user._can_view_register_reports


def yes_no(value):
    return "Yes" if value else "No"


@dataclass
class FigureTable:
    """A table of ``queries.Figures`` as the report shows it and as it downloads.

    The HTML and the spreadsheet are made from the same rows, so they cannot differ;
    only the number format does (£12,345 on screen, 12345.00 in the file).
    """

    slug: str
    caption: str
    row_heading: str
    headings: tuple
    figures: queries.Figures
    format_value: callable = intcomma
    chart: str = ""  # the same figures drawn, as SVG markup
    csv_url: str = ""
    xlsx_url: str = ""
    keys: tuple = field(init=False)

    def __post_init__(self):
        self.keys = tuple(f"c{i}" for i in range(len(self.headings)))

    @property
    def export_fields(self):
        return ["label", *self.keys]

    @property
    def export_headings(self):
        return {"label": self.row_heading, **dict(zip(self.keys, self.headings, strict=True))}

    def export_rows(self):
        return [
            {"label": row.label, **dict(zip(self.keys, row.values, strict=True))}
            for row in (*self.figures.rows, self.figures.total)
        ]

    def html_rows(self):
        return [(row.label, [self.format_value(v) for v in row.values]) for row in self.figures.rows]

    def html_total(self):
        total = self.figures.total
        return total.label, [self.format_value(v) for v in total.values]


class RegisterReportView(NeutralisedExportMixin, ReportView):
    """What every register report shares: who may see it, its URLs, safe spreadsheet cells."""

    template_name = "partnerships/reports/report.html"
    header_icon = "table"
    url_name = ""
    intro = ""
    menu_label = ""
    menu_icon = "table"
    menu_order = 0

    # CSV cells are text: neutralise formula-like names; numbers stay numbers in XLSX.
    custom_value_preprocess = {
        **ReportView.custom_value_preprocess,
        bool: {ReportView.FORMAT_CSV: yes_no, ReportView.FORMAT_XLSX: yes_no},
        (int, Decimal): {ReportView.FORMAT_CSV: str, ReportView.FORMAT_XLSX: None},
        str: {ReportView.FORMAT_XLSX: str},
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def page_title(self):
        return self.menu_label

    @property
    def index_url_name(self):
        return f"partnerships_reports:{self.url_name}"

    @property
    def index_results_url_name(self):
        return f"partnerships_reports:{self.url_name}_results"

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        # Filtering happens once, in ReportView.get_filtered_queryset.
        return Partnership.objects.all()

    def export_url(self, export_format, **params):
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        query.pop(self.page_kwarg, None)
        query["export"] = export_format
        for key, value in params.items():
            query[key] = value
        return f"{self.index_url}?{query.urlencode()}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["intro"] = self.intro
        return context


class FiguresReportView(RegisterReportView):
    """A report of aggregated figures: ``get_tables()`` builds them from the filtered entries."""

    results_template_name = "partnerships/reports/figures_results.html"
    paginate_by = None
    show_export_buttons = True

    def get_tables(self, partnerships):
        raise NotImplementedError

    def get_filtered_queryset(self):
        self.tables = self.get_tables(super().get_filtered_queryset())
        for table in self.tables:
            table.csv_url = self.export_url("csv", table=table.slug)
            table.xlsx_url = self.export_url("xlsx", table=table.slug)
        return self.tables

    @cached_property
    def export_table(self):
        wanted = self.request.GET.get("table")
        return next((t for t in self.tables if t.slug == wanted), self.tables[0])

    def get_filename(self):
        return f"{self.export_filename}-{self.export_table.slug}"

    def as_spreadsheet(self, tables, spreadsheet_format):
        table = self.export_table
        self.list_export = table.export_fields
        self.export_headings = table.export_headings
        return super().as_spreadsheet(table.export_rows(), spreadsheet_format)


class YearRangeMixin:
    """The years a report's columns cover: from the filter form, or chosen from the data."""

    filterset_class = YearRangeFilterSet

    @cached_property
    def available_years(self):
        span = queries.year_span(Partnership.objects.all(), self.today)
        return tuple(range(span[0], span[1] + 1)) if span else (self.today.year,)

    @cached_property
    def default_years(self):
        available = self.available_years
        return queries.default_years((available[0], available[-1]), self.today)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "years": self.available_years, "default_years": self.default_years}

    @cached_property
    def years(self):
        first, last = self.default_years[0], self.default_years[-1]
        if self.filters is not None and self.filters.is_valid():
            data = self.filters.form.cleaned_data
            first = int(data.get("year_from") or first)
            last = int(data.get("year_to") or last)
        first, last = min(first, last), max(first, last)
        return tuple(range(first, last + 1))

    @property
    def period(self):
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first} to {last}"


class ActiveByYearReportView(YearRangeMixin, FiguresReportView):
    """(a) Seed 000's Table 1: how many partnerships the council was in each year, by geography."""

    url_name = "by_year"
    menu_label = "Partnerships by year"
    menu_icon = "date"
    menu_order = 2000
    export_filename = "partnerships-by-year"
    intro = (
        "Partnerships the council was in at any time in each year, by the area they cover. "
        "Closed partnerships count for the years they ran; proposals, pending and rejected entries never count."
    )

    def get_tables(self, partnerships):
        figures = queries.active_by_geography(partnerships, self.years)
        caption = f"Partnerships in force each year by geography, {self.period}"
        chart = charts.bar_chart(
            chart_id="chart-by-year",
            title=caption,
            description=(
                "Stacked bars, one per year, each divided by geography level. "
                "The table that follows gives the same figures."
            ),
            categories=self.years,
            series=[charts.Series(row.label, row.values, GEOGRAPHY_COLOURS.get(row.key, "")) for row in figures.rows],
            format_value=lambda v: intcomma(int(v)),
        )
        headings = tuple(str(year) for year in self.years)
        return [FigureTable("by-geography", caption, "Geography", headings, figures, chart=chart)]


class ByTypeReportView(FiguresReportView):
    """(b) The partnerships in force now, counted by each classification and by service area."""

    url_name = "by_type"
    menu_label = "Partnerships by type"
    menu_icon = "list-ul"
    menu_order = 2010
    export_filename = "partnerships-by-type"
    intro = "Partnerships the council is in now (active, under review or exiting), counted four ways."

    def get_tables(self, partnerships):
        figures = queries.classification_counts(partnerships)
        headings = ("Partnerships in force",)
        tables = [
            FigureTable(name.replace("_", "-"), f"By {label.lower()}", label, headings, figures[name])
            for name, (label, _choices) in queries.CLASSIFICATIONS.items()
        ]
        tables.append(FigureTable("service-area", "By service area", "Service area", headings, figures["service_area"]))
        return tables


class MoneyReportView(YearRangeMixin, FiguresReportView):
    """(c) What the council puts into partnerships each year and per service area, and what they attract."""

    url_name = "money"
    menu_label = "Money in partnerships"
    menu_icon = "form"
    menu_order = 2020
    export_filename = "partnership-money"
    intro = (
        "Each partnership's annual amounts, counted in every year it was in force: the council's financial "
        "contribution, the estimated value of officer time given in kind, and the external funding attracted."
    )

    def get_tables(self, partnerships):
        figures = queries.money_by_year(partnerships, self.years)
        caption = f"Council contribution per year, {self.period}"
        chart = charts.bar_chart(
            chart_id="chart-money",
            title=caption,
            description="One bar per year. The table that follows gives the same figures, with in-kind and external.",
            categories=self.years,
            series=[charts.Series("Council contribution", figures.by_year.column(0))],
            format_value=money_axis,
        )
        headings = figures.by_year.columns
        per_year = replace(figures.by_year, total=replace(figures.by_year.total, label=f"Total, {self.period}"))
        by_year = FigureTable(
            "by-year", f"Per year, {self.period}", "Year", headings, per_year, format_value=money, chart=chart
        )
        by_area = FigureTable(
            "by-service-area",
            f"Per service area, summed over {self.period}",
            "Service area",
            headings,
            figures.by_service_area,
            format_value=money,
        )
        return [by_year, by_area]


def money_axis(value):
    """Axis labels: £1.5m, £250k, £0."""
    value = Decimal(value)
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.4g}m"
    if value >= 1_000:
        return f"£{value / 1_000:.4g}k"
    return f"£{value:.0f}"


def inspect_url(partnership):
    return reverse(INSPECT_URL, args=[partnership.pk])


ENTRY_COLUMNS = [
    TitleColumn("reference", label="Reference", get_url=inspect_url),
    Column("name", label="Name"),
    Column("status", label="Status", accessor="get_status_display"),
    Column("service_area", label="Service area", accessor=lambda p: p.service_area.name if p.service_area else ""),
    Column("lead_officer", label="Lead officer", accessor="lead_officer_name"),
]
ENTRY_EXPORT = ["reference", "name", "get_status_display", "service_area", "lead_officer_name"]
ENTRY_HEADINGS = {
    "reference": "Reference",
    "name": "Name",
    "get_status_display": "Status",
    "service_area": "Service area",
    "lead_officer_name": "Lead officer",
}


class EntriesReportView(RegisterReportView):
    """A report listing entries, 50 to a page on screen and all of them in the download."""

    results_template_name = "partnerships/reports/entries_results.html"
    filterset_class = ServiceAreaFilterSet
    paginate_by = 50

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "caption": self.menu_label}

    # Download columns worked out per entry rather than read from it: name → function.
    computed = {}

    def to_row_dict(self, item):
        row = {}
        for name in self.list_export:
            value = self.computed[name](item) if name in self.computed else multigetattr(item, name)
            # A related object downloads as its name; a missing one as a blank cell.
            row[name] = str(value) if isinstance(value, Model) else value
        return row


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
        Column(
            "annual_contribution",
            label="Annual contribution",
            accessor=lambda p: money(p.annual_contribution),
            classname=FIGURE,
        ),
        Column("in_kind_value", label="In-kind value", accessor=lambda p: money(p.in_kind_value), classname=FIGURE),
        Column(
            "external_funding", label="External funding", accessor=lambda p: money(p.external_funding), classname=FIGURE
        ),
        Column("accountable", label="Accountable body", accessor=lambda p: yes_no(p.accountable_body_for_funds)),
    ]
    list_export = [
        *ENTRY_EXPORT,
        "annual_contribution",
        "in_kind_value",
        "external_funding",
        "accountable_body_for_funds",
        "get_risk_rating_display",
    ]
    export_headings = {
        **ENTRY_HEADINGS,
        "annual_contribution": "Annual council contribution (£)",
        "in_kind_value": "In-kind officer time (£ a year)",
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
        "assessment (any entry in the risk register), an equality impact answer or a business case."
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


REPORT_VIEWS = [
    ActiveByYearReportView,
    ByTypeReportView,
    MoneyReportView,
    SignificantReportView,
    GovernanceGapsReportView,
    ApprovalRoutesReportView,
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
