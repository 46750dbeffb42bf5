"""Admin views of the approval workflow.

The register entry's own views (``partnerships.admin_views``) are extended here
with the proposal rules: an incomplete proposal is not submitted, a proposal is
never published except by Management Board's approval, and the inspect view reads
as the proposal the Board decides on, with the actions the user may take.
"""

import csv
import datetime

from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import TaskState
from wagtail.snippets.views import snippets

from partnerships import admin_views
from partnerships.models import ApprovalRecord, Partnership, Status
from partnerships.spreadsheet import neutralise
from portal.roles import HEADS_OF_SERVICE

from . import notifications, proposals, services
from .forms import DeputyForm
from .models import HeadOfServiceDeputy, HeadOfServiceTask, Notification
from .roles import DECISION_LOG


def missing_message(intro, gaps):
    return format_html("{}<ul>{}</ul>", intro, format_html_join("", "<li>{}</li>", ((str(gap),) for gap in gaps)))


class ProposalRulesMixin:
    """Submitting and publishing, as the Framework allows them for a proposal."""

    def _edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def _choose_workflow(self):
        # The workflow follows the entry as just saved (a register manager may have made it
        # active, say), not as it was when the form was opened: see Partnership.get_workflow().
        self.workflow = self.object.get_workflow()

    def _refuse_incomplete(self):
        # Runs after the draft is saved, so nothing the proposer typed is lost; no workflow starts.
        self._choose_workflow()
        if self.workflow is None or not self.object.is_new_proposal:
            return None
        result = proposals.check(self.object)
        if result.complete:
            return None
        intro = "Your changes are saved, but the proposal has not been submitted. It still needs:"
        messages.error(self.request, missing_message(intro, result.gaps))
        return redirect(self._edit_url())

    def _refuse_unapproved(self, what):
        # Neither a proposal nor approved: an entry typed in (or imported) as already active.
        if self.object.is_new_proposal or self.object.has_approval_record():
            return None
        messages.error(
            self.request,
            f"{what}: it has never been approved onto the register. Your changes are saved as a draft. "
            "If Cabinet, a committee or Management Board approved it before the portal, a register manager "
            "records that (Record approval before the portal); otherwise set its status to Proposed and "
            "submit it for approval.",
        )
        return redirect(self._edit_url())

    def submit_action(self):
        refusal = self._refuse_incomplete()
        if refusal is None and self.workflow is None:
            refusal = self._refuse_unapproved("This entry cannot be submitted")
        if refusal is None and self.workflow is None:
            messages.error(self.request, "This entry cannot be submitted: it has no workflow.")
            refusal = redirect(self._edit_url())
        return refusal or super().submit_action()

    def restart_workflow_action(self):
        refusal = self._refuse_incomplete()
        if refusal is None and self.workflow is None:
            refusal = redirect(self._edit_url())
        return refusal or super().restart_workflow_action()

    def publish_action(self):
        if self.object.is_new_proposal:
            messages.error(
                self.request,
                "A proposal goes on the register only when Management Board approves it. "
                "Your changes are saved as a draft: submit it for approval instead.",
            )
            return redirect(self._edit_url())
        return self._refuse_unapproved("This entry cannot be published") or super().publish_action()


class ProposalCreateView(ProposalRulesMixin, admin_views.PartnershipCreateView):
    pass


class ProposalEditView(ProposalRulesMixin, admin_views.PartnershipEditView):
    pass


class ProposalWorkflowActionView(admin_views.ForbiddenResponseMixin, snippets.WorkflowActionView):
    """Wagtail's action view answers a refusal with a 403, and an incomplete form with its errors."""

    def post(self, request, *args, **kwargs):
        is_ajax = request.headers.get("x-requested-with") == "XMLHttpRequest"
        if self.form_class and not is_ajax:
            form = self.form_class(request.POST)
            if not form.is_valid():
                errors = [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
                messages.error(request, missing_message("Nothing was done.", errors))
                return redirect(self.redirect_url)
        return super().post(request, *args, **kwargs)


def workflow_actions(entry, user, viewset, next_url):
    """The actions ``user`` may take on the entry's current step, each with its form, for the review page."""
    task_state = entry.current_workflow_task_state
    if task_state is None:
        return []
    task = task_state.task.specific
    actions, seen = [], set()
    for name, label, _ in task.get_actions(entry, user):
        if name in seen:
            continue
        seen.add(name)
        form_class = task.get_form_for_action(name)
        actions.append(
            {
                "name": name,
                "label": label,
                "form": form_class(auto_id=f"id_{name}_%s") if form_class else None,
                "url": reverse(viewset.get_url_name("workflow_action"), args=(entry.pk, name, task_state.pk)),
                "next": next_url,
            }
        )
    # The decision most often taken first; the final one last.
    order = {"approve": 0, "reject": 1, "decline": 2}
    return sorted(actions, key=lambda action: order.get(action["name"], 1))


def checklist_sections(entry, kind, relation):
    by_question = {answer.question_id: answer for answer in getattr(entry, relation).all()}
    sections = []
    for question in proposals.questions(kind):
        answer = by_question.get(question.pk)
        if not sections or sections[-1]["title"] != question.section:
            sections.append({"title": question.section, "rows": []})
        sections[-1]["rows"].append({"question": question, "answer": answer})
    return sections


class ProposalInspectView(admin_views.PartnershipInspectView):
    """The entry's inspect view, which for a proposal is the one screen the Board decides from."""

    template_name = "partnerships/proposal/review.html"

    def get_context_data(self, **kwargs):
        from portal.models import QuestionSet

        context = super().get_context_data(**kwargs)
        entry = services.latest(self.object)
        has_proposal = entry.is_new_proposal or entry.status == Status.REJECTED or entry.checklist_answers.all()
        if not has_proposal:
            return context
        context.update(
            entry=entry,
            completeness=proposals.check(entry),
            screening=checklist_sections(entry, QuestionSet.Kind.DECISION_TREE, "screening_answers"),
            checklist=checklist_sections(entry, QuestionSet.Kind.CHECKLIST, "checklist_answers"),
            risks=entry.risks.all(),
            workflow_state=self.object.current_workflow_state,
            actions=workflow_actions(
                self.object, self.request.user, self.object.snippet_viewset, self.request.get_full_path()
            ),
            history_url=reverse(self.object.snippet_viewset.get_url_name("history"), args=(self.object.pk,)),
        )
        return context


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
                "by": (by.get_full_name() or by.get_username()) if by else "",
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


class DecisionLogView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = DECISION_LOG
    template_name = "workflows/admin/decision_log.html"
    page_title = "Decision log"
    header_icon = "list-ul"

    default_days = 90

    def dates(self):
        """The range asked for (``from``, ``to``: YYYY-MM-DD), by default the last 90 days."""
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

    def get(self, request, *args, **kwargs):
        self.date_error = ""
        self.date_from, self.date_to = self.dates()
        self.rows = decisions(self.date_from, self.date_to)
        if request.GET.get("format") == "csv":
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def csv_response(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"decision-log-{self.date_from:%Y-%m-%d}-to-{self.date_to:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(DECISION_COLUMNS)
        for row in self.rows:
            writer.writerow(
                [row["date"].isoformat()]
                + [
                    neutralise(row[key])
                    for key in ("reference", "name", "step", "decision", "by", "comment", "minute_reference")
                ]
            )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rows=self.rows,
            date_from=self.date_from,
            date_to=self.date_to,
            date_error=self.date_error,
            columns=DECISION_COLUMNS,
            inspect_url_name=Partnership.snippet_viewset.get_url_name("inspect"),
        )
        return context


# --- A Head of Service names a deputy ---


def is_head_of_service(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=HEADS_OF_SERVICE).exists())


class DeputyView(WagtailAdminTemplateMixin, FormView):
    template_name = "workflows/admin/deputy.html"
    page_title = "Your deputy for endorsements"
    header_icon = "user"
    form_class = DeputyForm

    def dispatch(self, request, *args, **kwargs):
        if not is_head_of_service(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = HeadOfServiceDeputy.objects.filter(head=self.request.user).first()
        kwargs.update(head=self.request.user, instance=instance or HeadOfServiceDeputy(head=self.request.user))
        return kwargs

    def form_valid(self, form):
        if form.cleaned_data["deputy"] is None:
            HeadOfServiceDeputy.objects.filter(head=self.request.user).delete()
            messages.success(self.request, "You have no deputy: only you can endorse your service's proposals.")
        else:
            form.save()
            messages.success(self.request, f"{form.cleaned_data['deputy'].get_full_name()} can now endorse for you.")
        return redirect("workflows:deputy")
