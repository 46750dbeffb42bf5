"""Admin views of the approval workflow: emails not sent, and the decision log."""

import datetime

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.models import TaskState

from partnerships.models import ApprovalRecord, Partnership
from partnerships.spreadsheet import NeutralisedExportMixin

from . import notifications
from .models import HeadOfServiceTask, Notification
from .roles import DECISION_LOG

# --- Notifications that could not be sent ---


class FailedNotificationsView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = "workflows.change_notification"
    template_name = "workflows/admin/failed_notifications.html"
    page_title = "Emails not sent"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = (
            Notification.objects.filter(status=Notification.Status.FAILED)
            .select_related("recipient", "content_type")
            .order_by("-created_at")[:500]
        )
        return context

    def post(self, request):
        ids = [value for value in request.POST.getlist("notification") if value.isdigit()]
        count = notifications.retry_failed(ids)
        messages.success(request, f"{count} email{'s' if count != 1 else ''} handed over to be sent again.")
        return redirect("workflows:failed_notifications")


# --- The decision log ---

DECISION_COLUMNS = ["Date", "Reference", "Name", "Step", "Decision", "By", "Comment", "Minute reference"]


def decision_label(task_state, endorsement_task_ids):
    if task_state.status == TaskState.STATUS_APPROVED:
        return "Endorsed" if task_state.task_id in endorsement_task_ids else "Approved"
    decision = getattr(task_state, "decisiontaskstate", None)
    return "Declined" if decision is not None and decision.declined else "Changes requested"


def decisions(date_from, date_to):
    """Every decision taken on a register entry between two dates (inclusive), oldest first."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    states = list(
        TaskState.objects.filter(
            workflow_state__base_content_type__app_label="partnerships",
            workflow_state__base_content_type__model="partnership",
            status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
            finished_at__gte=start,
            finished_at__lt=end,
        )
        .select_related("task", "finished_by", "workflow_state", "decisiontaskstate")
        .order_by("finished_at", "pk")
    )
    entries = Partnership.objects.only("reference", "name").in_bulk(
        {int(state.workflow_state.object_id) for state in states}
    )
    endorsement_task_ids = set(HeadOfServiceTask.objects.values_list("pk", flat=True))
    rows = []
    for state in states:
        entry = entries.get(int(state.workflow_state.object_id))
        decision = getattr(state, "decisiontaskstate", None)
        by = state.finished_by
        rows.append(
            {
                "at": state.finished_at,
                "date": timezone.localtime(state.finished_at).date(),
                "reference": entry.reference if entry else "",
                "name": entry.name if entry else "(deleted)",
                "entry_id": entry.pk if entry else None,
                "step": state.task.name,
                "decision": decision_label(state, endorsement_task_ids),
                "by": get_user_display_name(by),
                "comment": state.comment,
                "minute_reference": decision.minute_reference if decision is not None else "",
            }
        )
    rows.extend(backfill_decisions(start, end))
    rows.sort(key=lambda row: row["at"])
    return rows


BACKFILL_STEP = "Back-fill: approved before the portal"


def backfill_decisions(start, end):
    """Register managers' records that an entry was approved before the portal, as decisions taken then."""
    records = (
        ApprovalRecord.objects.filter(route=ApprovalRecord.Route.BACKFILL, recorded_at__gte=start, recorded_at__lt=end)
        .select_related("partnership", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    return [
        {
            "at": record.recorded_at,
            "date": timezone.localtime(record.recorded_at).date(),
            "reference": record.partnership.reference,
            "name": record.partnership.name,
            "entry_id": record.partnership_id,
            "step": BACKFILL_STEP,
            "decision": "Recorded as approved",
            "by": record.recorded_by_name,
            "comment": f"Approved by {record.approved_by} on {record.approved_on.day} {record.approved_on:%B %Y}",
            "minute_reference": record.minute_reference,
        }
        for record in records
    ]


class DecisionLogView(NeutralisedExportMixin, PermissionRequiredMixin, ReportView):
    """Every decision in a date range, on screen and as a CSV or XLSX download.

    The range is ``from`` and ``to`` (YYYY-MM-DD), by default the last 90 days. Links
    already handed round ask for the CSV with ``format=csv``; that still works.
    """

    permission_required = DECISION_LOG
    results_template_name = "workflows/admin/decision_log_results.html"
    page_title = "Decision log"
    header_icon = "list-ul"
    paginate_by = None  # a period's decisions are read, and minuted, as one list
    list_export = ["date", "reference", "name", "step", "decision", "by", "comment", "minute_reference"]
    export_headings = dict(zip(list_export, DECISION_COLUMNS, strict=True))
    export_filename = "decision-log"

    default_days = 90

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.export_format = request.GET.get("export") or request.GET.get("format")
        self.is_export = self.export_format in self.FORMATS

    def dates(self):
        """The range asked for, or the last 90 days."""
        today = timezone.localdate()
        try:
            date_to = datetime.date.fromisoformat(self.request.GET.get("to") or today.isoformat())
            date_from = datetime.date.fromisoformat(
                self.request.GET.get("from") or (date_to - datetime.timedelta(days=self.default_days)).isoformat()
            )
        except ValueError:
            self.date_error = f"Give dates as YYYY-MM-DD. Showing the last {self.default_days} days."
            return today - datetime.timedelta(days=self.default_days), today
        return min(date_from, date_to), max(date_from, date_to)

    def get_filtered_queryset(self):
        self.date_error = ""
        self.date_from, self.date_to = self.dates()
        return decisions(self.date_from, self.date_to)

    def get_filename(self):
        return f"{self.export_filename}-{self.date_from:%Y-%m-%d}-to-{self.date_to:%Y-%m-%d}"

    def get_export_url(self, format):
        params = self.request.GET.copy()
        params.pop("format", None)
        params["export"] = format
        return f"{self.request.path}?{params.urlencode()}"

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            return self.as_spreadsheet(context["object_list"], self.export_format)
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            date_from=self.date_from,
            date_to=self.date_to,
            date_error=self.date_error,
            columns=DECISION_COLUMNS,
            inspect_url_name=Partnership.snippet_viewset.get_url_name("inspect"),
        )
        return context
