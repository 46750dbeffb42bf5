"""The Cabinet exception report (Wyre Forest 4.2).

"The six monthly progress reports will be collated and placed on the Council's Intranet.
Only those partnerships which appear not to be making sufficient progress will be
reported to Cabinet." For a chosen period (by default the last reporting cycle up to
today), the report to Cabinet therefore lists the partnerships in force whose latest
progress report, submitted in the period, says they are not making sufficient progress
(the lead officer answered No, or rated it red).

A partnership whose report or annual review is overdue has not said how it is doing; it
is listed in a separate section, "Reports and reviews overdue", so the Cabinet's list
stays the seed's case and the register managers can chase the rest.

Register managers and the Management Board see it in the admin's Reports menu, can
download it as CSV, XLSX or PDF, and open a print-ready page for the Cabinet agenda.
"""

import datetime
from dataclasses import dataclass, field

import django_filters
from dateutil.relativedelta import relativedelta
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button

from partnerships.admin_views import forbidden
from partnerships.models import AnnualReview, Partnership, ProgressReport, Rating, RegisterSettings, ServiceArea
from partnerships.models.querysets import overdue
from partnerships.pdf import pdf_response
from partnerships.permissions import can_view_exception_report
from partnerships.spreadsheet import NeutralisedExportMixin

INSUFFICIENT = "Not making sufficient progress"
OVERDUE = "Report or review overdue"
PRINT_TEMPLATE = "partnerships/reports/cabinet_exceptions_print.html"


def default_period(today=None):
    """The last reporting cycle: ``progress_report_months`` up to today."""
    today = today or timezone.localdate()
    months = RegisterSettings.load().progress_report_months
    return today - relativedelta(months=months) + datetime.timedelta(days=1), today


def _end_of(day):
    """The first moment after ``day`` in the portal's time zone (submissions are datetimes)."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


@dataclass
class ExceptionRow:
    partnership: Partnership
    report: ProgressReport | None
    insufficient: bool = False
    report_overdue_since: datetime.date | None = None
    review_overdue_since: datetime.date | None = None
    reasons: list = field(default_factory=list)

    @property
    def overdue(self):
        return bool(self.report_overdue_since or self.review_overdue_since)

    @property
    def section(self):
        return INSUFFICIENT if self.insufficient else OVERDUE

    # Attributes the table, the CSV and the print page share.
    @property
    def reference(self):
        return self.partnership.reference

    @property
    def name(self):
        return self.partnership.name

    @property
    def service_area(self):
        return self.partnership.service_area.name if self.partnership.service_area else ""

    @property
    def lead_officer(self):
        return self.partnership.lead_officer_name()

    @property
    def head_of_service(self):
        return self.partnership.head_of_service_name()

    @property
    def rating(self):
        return self.report.get_rating_display() if self.report else ""

    @property
    def sufficient_progress(self):
        if self.report is None:
            return ""
        return "Yes" if self.report.sufficient_progress else "No"

    @property
    def report_period(self):
        if self.report is None:
            return ""
        return f"{self.report.period_start:%-d %B %Y} to {self.report.period_end:%-d %B %Y}"

    @property
    def issues(self):
        return self.report.issues if self.report else ""

    @property
    def next_steps(self):
        return self.report.next_steps if self.report else ""

    @property
    def overdue_text(self):
        parts = []
        if self.report_overdue_since:
            parts.append(f"Progress report due {self.report_overdue_since:%-d %B %Y}")
        if self.review_overdue_since:
            parts.append(f"Annual review due {self.review_overdue_since:%-d %B %Y}")
        return "; ".join(parts)


@dataclass
class CabinetReport:
    """The two sections: the Cabinet's list, and what is overdue (including any on that list)."""

    start: datetime.date
    end: datetime.date
    insufficient: list
    overdue: list

    @property
    def merely_overdue(self):
        return [row for row in self.overdue if not row.insufficient]

    def summary(self):
        return {
            "insufficient": len(self.insufficient),
            "red": sum(1 for row in self.insufficient if row.report.rating == Rating.RED),
            "overdue": len(self.overdue),
            "report_overdue": sum(1 for row in self.overdue if row.report_overdue_since),
            "review_overdue": sum(1 for row in self.overdue if row.review_overdue_since),
        }


def _annotated_entries(start, end, service_area):
    boundary = _end_of(end)
    late_report = ProgressReport.objects.filter(
        partnership=OuterRef("pk"), due_date__lt=end, submitted_at__gte=boundary
    )
    late_review = AnnualReview.objects.filter(partnership=OuterRef("pk"), due_date__lt=end, submitted_at__gte=boundary)
    entries = (
        Partnership.objects.in_force()
        .with_latest_report(submitted_before=boundary)
        .annotate(
            late_report_due=Subquery(
                late_report.order_by().values("partnership").annotate(first=Min("due_date")).values("first")[:1]
            ),
            late_review_due=Subquery(
                late_review.order_by().values("partnership").annotate(first=Min("due_date")).values("first")[:1]
            ),
        )
    )
    if service_area is not None:
        entries = entries.filter(service_area=service_area)
    in_period = Q(latest_submitted__gte=_end_of(start - datetime.timedelta(days=1)), latest_submitted__lt=boundary)
    insufficient = in_period & Q(latest_goes_to_cabinet=True)
    report_overdue = overdue("next_progress_report_due", end) | Exists(late_report)
    review_overdue = overdue("next_review_due", end) | Exists(late_review)
    entries = entries.filter(insufficient | report_overdue | review_overdue)
    return entries.with_people().order_by("service_area__name", "name", "pk")


def cabinet_report(start, end, service_area=None):
    """The report for the period ``start``–``end``, each section ordered by service area and name; four queries."""
    entries = list(_annotated_entries(start, end, service_area))
    reports_by_id = ProgressReport.objects.in_bulk([e.latest_report_id for e in entries if e.latest_report_id])
    rows = []
    for entry in entries:
        report = reports_by_id.get(entry.latest_report_id)
        row = ExceptionRow(entry, report)
        submitted = report is not None and start <= timezone.localdate(report.submitted_at) <= end
        row.insufficient = submitted and entry.latest_goes_to_cabinet
        if row.insufficient and not report.sufficient_progress:
            row.reasons.append("Lead officer reports progress is not sufficient")
        if row.insufficient and report.rating == Rating.RED:
            row.reasons.append("Rated red")
        row.report_overdue_since = _earliest(entry.late_report_due, _before(entry.next_progress_report_due, end))
        row.review_overdue_since = _earliest(entry.late_review_due, _before(entry.next_review_due, end))
        rows.append(row)
    return CabinetReport(
        start=start,
        end=end,
        insufficient=[row for row in rows if row.insufficient],
        overdue=[row for row in rows if row.overdue],
    )


def _before(day, end):
    return day if day and day < end else None


def _earliest(*days):
    days = [day for day in days if day]
    return min(days) if days else None


# --- Admin views ----------------------------------------------------------------------------------


class ExceptionReportFilterSet(WagtailFilterSet):
    period_start = django_filters.DateFilter(label="Period from", method="keep", widget=AdminDateInput)
    period_end = django_filters.DateFilter(label="Period to", method="keep", widget=AdminDateInput)
    service_area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.all(), empty_label="All service areas", method="keep"
    )

    class Meta:
        model = Partnership
        fields = ["period_start", "period_end", "service_area"]

    def keep(self, queryset, name, value):
        return queryset


def _period_from(data):
    default_start, default_end = default_period()
    start = data.get("period_start") or default_start
    end = data.get("period_end") or default_end
    return (start, end) if start <= end else (end, start)


def _query_without(request, *names):
    query = request.GET.copy()
    for name in ("export", "_w_filter_fragment", "p", *names):
        query.pop(name, None)
    return f"?{query.urlencode()}" if query else ""


class ExceptionReportView(NeutralisedExportMixin, ReportView):
    page_title = "Cabinet exception report"
    header_icon = "warning"
    results_template_name = "partnerships/reports/cabinet_exceptions_results.html"
    filterset_class = ExceptionReportFilterSet
    paginate_by = 100
    export_filename = "cabinet-exception-report"
    index_url_name = "workflows_reports:exception_report"
    index_results_url_name = "workflows_reports:exception_report_results"
    verbose_name_plural = "partnerships not making sufficient progress"
    columns = [
        TitleColumn(
            "reference",
            label="Reference",
            get_url=lambda row: reverse("wagtailsnippets_partnerships_partnership:inspect", args=[row.partnership.pk]),
        ),
        Column("name", label="Partnership"),
        Column("service_area", label="Service area"),
        Column("lead_officer", label="Lead officer"),
        Column("rating", label="Latest rating"),
        Column("sufficient_progress", label="Sufficient progress"),
        Column("issues", label="Issues reported"),
    ]
    list_export = [
        "section",
        "reference",
        "name",
        "service_area",
        "lead_officer",
        "head_of_service",
        "report_period",
        "rating",
        "sufficient_progress",
        "issues",
        "report_overdue_since",
        "review_overdue_since",
    ]
    export_headings = {
        "section": "Section",
        "reference": "Reference",
        "name": "Partnership",
        "service_area": "Service area",
        "lead_officer": "Lead officer",
        "head_of_service": "Head of Service",
        "report_period": "Latest report period",
        "rating": "Latest rating",
        "sufficient_progress": "Sufficient progress",
        "issues": "Issues reported",
        "report_overdue_since": "Progress report overdue since",
        "review_overdue_since": "Annual review overdue since",
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_view_exception_report(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def period(self):
        data = self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}
        return _period_from(data)

    @cached_property
    def service_area(self):
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("service_area")
        return None

    def get_queryset(self):
        return Partnership.objects.none()

    def get_filtered_queryset(self):
        self.filter_queryset(self.get_queryset())  # validates the filter form
        self.report = cabinet_report(*self.period, service_area=self.service_area)
        if self.is_export:  # one sheet: the Cabinet's list, then what is merely overdue
            return self.report.insufficient + self.report.merely_overdue
        return self.report.insufficient

    def get_filename(self):
        start, end = self.period
        return f"{self.export_filename}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"

    def print_url(self):
        return reverse("workflows_reports:exception_report_print") + _query_without(self.request)

    def pdf_url(self):
        return reverse("workflows_reports:exception_report_pdf") + _query_without(self.request)

    @cached_property
    def header_buttons(self):
        return [
            Button("Print for Cabinet", url=self.print_url(), icon_name="doc-full", priority=10),
            Button("Download PDF", url=self.pdf_url(), icon_name="download", priority=15),
            Button("Download CSV", url=self.csv_export_url, icon_name="download", priority=20),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        start, end = self.period
        context.update(
            period_start=start,
            period_end=end,
            report=self.report,
            summary=self.report.summary(),
            print_url=self.print_url(),
            pdf_url=self.pdf_url(),
        )
        return context


def _paper_context(request):
    filters = ExceptionReportFilterSet(request.GET or None, queryset=Partnership.objects.none(), request=request)
    data = filters.form.cleaned_data if filters.is_bound and filters.is_valid() else {}
    start, end = _period_from(data)
    report = cabinet_report(start, end, service_area=data.get("service_area"))
    return {
        "report": report,
        "summary": report.summary(),
        "period_start": start,
        "period_end": end,
        "service_area": data.get("service_area"),
        "today": timezone.localdate(),
        "back_query": _query_without(request),
    }


def exception_report_print(request):
    """The report as a plain, print-ready page for the Cabinet agenda: no admin chrome, print CSS."""
    if not can_view_exception_report(request.user):
        return forbidden(request)
    return TemplateResponse(request, PRINT_TEMPLATE, _paper_context(request))


def exception_report_pdf(request):
    """The same paper as a PDF, for the Cabinet agenda pack."""
    if not can_view_exception_report(request.user):
        return forbidden(request)
    context = _paper_context(request)
    start, end = context["period_start"], context["period_end"]
    return pdf_response(
        request, PRINT_TEMPLATE, context, f"cabinet-exception-report-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
    )
