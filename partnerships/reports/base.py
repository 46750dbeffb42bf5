"""What every register report shares: who may see it, its spreadsheet export, figure tables and entry lists.

Two kinds, both Wagtail ``ReportView``s so they share the admin's header, filter
drawer and spreadsheet export (CSV or XLSX):

- figure reports show tables of aggregated figures, with a chart where a picture
  helps; each table downloads on its own (``?table=``);
- entry reports list entries 50 to a page and download in full.

Only register managers, Management Board and Heads of Service see them: the figures
cover every entry, including the money and governance that lead officers see only
for their own.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr

from partnerships.admin_views import forbidden
from partnerships.models import Partnership
from partnerships.permissions import can_view_reports
from partnerships.spreadsheet import NeutralisedExportMixin
from partnerships.templatetags.register_tags import money

from . import queries
from .filters import ServiceAreaFilterSet, YearRangeFilterSet

INSPECT_URL = "wagtailsnippets_partnerships_partnership:inspect"
FIGURE = "register-figure"  # right-aligned, tabular figures (report.html)


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

# What an entry costs the council a year, for the reports that rank entries by it.
CONTRIBUTION_COLUMNS = [
    Column(
        "annual_contribution",
        label="Annual contribution",
        accessor=lambda p: money(p.annual_contribution),
        classname=FIGURE,
    ),
    Column("in_kind_value", label="In-kind value", accessor=lambda p: money(p.in_kind_value), classname=FIGURE),
]
CONTRIBUTION_EXPORT = ["annual_contribution", "in_kind_value"]
CONTRIBUTION_HEADINGS = {
    "annual_contribution": "Annual council contribution (£)",
    "in_kind_value": "In-kind officer time (£ a year)",
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
