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
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.models import TaskState, WorkflowState
from wagtail.snippets.views import snippets

from partnerships import admin_views
from partnerships.backfill.views import BACKFILL_LABEL, backfill_url, offers_backfill
from partnerships.models import ApprovalRecord, Partnership, Status
from partnerships.spreadsheet import neutralise
from portal.roles import HEADS_OF_SERVICE

from . import notifications, proposals, services
from .forms import DeputyForm
from .models import HeadOfServiceDeputy, HeadOfServiceTask, Notification
from .roles import DECISION_LOG


def _gap_item(gap, form_url):
    anchor, tab = getattr(gap, "anchor", ""), getattr(gap, "tab", "")
    text = format_html('<a href="{}#{}">{}</a>', form_url, anchor, gap) if anchor and form_url else str(gap)
    return format_html("<li>{} ({} tab)</li>", text, tab) if tab else format_html("<li>{}</li>", text)


def missing_message(intro, gaps, form_url=""):
    """``intro`` and a list of ``gaps``; each gap of a proposal links to its field on the form and names its tab."""
    return format_html(
        "{}<ul>{}</ul>", intro, format_html_join("", "{}", ((_gap_item(gap, form_url),) for gap in gaps))
    )


# The notifications a decision sends (workflows.signal_handlers), whose recipients the decider is told of.
DECISION_EVENTS = ("endorsed", "approved", "changes_requested", "declined")


def decision_message(task_state_id, action):
    """What the decider just did, where the proposal is now, and who was told by email; None if nothing was done."""
    state = TaskState.objects.select_related("workflow_state", "task").get(pk=task_state_id).specific
    if state.status == TaskState.STATUS_IN_PROGRESS:
        return None
    workflow_state = state.workflow_state
    entry = services.latest(workflow_state.content_object)
    name = f"“{entry.name}” ({entry.reference})"
    if action == "decline" or getattr(state, "declined", False):
        what = f"You declined {name}. The decision is final: it is kept on record and never published."
    elif action == "reject":
        proposer = get_user_display_name(workflow_state.requested_by)
        what = f"You asked for changes to {name}. It is back with {proposer} to amend."
    elif workflow_state.status == WorkflowState.STATUS_APPROVED:
        what = f"You approved {name}." + (" It is now on the register." if entry.live else "")
    elif isinstance(state.task.specific, HeadOfServiceTask):
        what = f"You endorsed {name}. It goes to {workflow_state.current_task_state.task.name} next."
    else:
        what = f"You approved {name} at {state.task.name}."
    told = (
        Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
            object_id=str(entry.pk),
            event__in=DECISION_EVENTS,
            step__in=[f"task-state:{state.pk}", f"workflow-state:{workflow_state.pk}"],
        )
        .select_related("recipient")
        .order_by("recipient__first_name", "recipient__last_name")
    )
    names = [get_user_display_name(notification.recipient) for notification in told]
    if names:
        return f"{what} Told by email: {', '.join(names)}."
    return f"{what} Nobody was told by email: no one concerned has an email address."


class ProposalRulesMixin:
    """Submitting and publishing, as the Framework allows them for a proposal."""

    decision = None

    def _edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def _returned_for_changes(self):
        state = getattr(self, "workflow_state", None)
        return state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES and self.object.is_new_proposal

    def _choose_workflow(self):
        # The workflow follows the entry as just saved (a register manager may have made it
        # active, say), not as it was when the form was opened: see Partnership.get_workflow().
        self.workflow = self.object.get_workflow()

    def _refuse_incomplete(self):
        # Runs after the draft is saved, so nothing the proposer typed is lost; no workflow starts.
        self._choose_workflow()
        if self.workflow is None or not self.object.is_new_proposal:
            return None
        result = proposals.check(self.object, proposer=self.request.user)
        if result.complete:
            return None
        intro = "Your changes are saved, but the proposal has not been submitted. It still needs:"
        messages.error(self.request, missing_message(intro, result.gaps, self._edit_url()))
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
        if refusal is None and self._returned_for_changes():
            # Changed after a request for changes: endorsed again before the Board sees it.
            services.resume_from_first_step(self.workflow_state, self.request.user)
            return None
        return refusal or super().submit_action()

    def workflow_action_action(self):
        task_state = self.object.current_workflow_task_state
        response = super().workflow_action_action()
        if task_state is not None:
            self.decision = decision_message(task_state.pk, self.workflow_action)
        return response

    def get_success_buttons(self):
        # After a decision the entry has moved on to someone else: an "Edit" button would lead to a refusal.
        if self.action == "workflow-action" and self.decision:
            return []
        return super().get_success_buttons()

    def get_success_message(self, instance=None):
        if self.action == "workflow-action" and self.decision:
            return self.decision
        if self.action == "submit" and self.object.is_new_proposal:
            entry = services.latest(self.object)
            state = self.object.current_workflow_state
            step = state.current_task_state.task.name if state and state.current_task_state else ""
            at_endorsement = step and isinstance(state.current_task_state.task.specific, HeadOfServiceTask)
            who = get_user_display_name(entry.head_of_service) if at_endorsement else ""
            if who:
                return f"“{entry.name}” is submitted: {who} is asked to endorse it ({step})."
            if step:
                return f"“{entry.name}” is submitted to {step}."
        return super().get_success_message(instance)

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
    @cached_property
    def header_more_buttons(self):
        # A register manager works through imported drafts one by one from their edit pages:
        # the back-fill is offered there as well as on the listing.
        buttons = list(super().header_more_buttons)
        if offers_backfill(self.object, self.request.user):
            buttons.append(Button(BACKFILL_LABEL, url=backfill_url(self.object), icon_name="history", priority=40))
        return buttons


class ProposalWorkflowActionView(admin_views.ForbiddenResponseMixin, snippets.WorkflowActionView):
    """Wagtail's action view answers a refusal with a 403, an incomplete form with its errors,
    and a decision with what it did and who was told."""

    def check_action(self):
        # The step named in the address must be this entry's current one.
        state = self.task_state.workflow_state
        if (
            state.base_content_type_id != ContentType.objects.get_for_model(self.model).pk
            or state.object_id != str(self.object.pk)
            or state.current_task_state_id != self.task_state.pk
        ):
            raise PermissionDenied
        return super().check_action()

    def post(self, request, *args, **kwargs):
        is_ajax = request.headers.get("x-requested-with") == "XMLHttpRequest"
        if self.form_class and not is_ajax:
            form = self.form_class(request.POST)
            if not form.is_valid():
                errors = [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
                messages.error(request, missing_message("Nothing was done.", errors))
                return redirect(self.redirect_url)
        response = super().post(request, *args, **kwargs)
        told = decision_message(self.task_state.pk, self.action_name)
        if told:
            messages.success(request, told)
        return response


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


def changed_fields(entry, revision_a, revision_b, request):
    """Wagtail's comparison of two revisions (as its compare view makes it): the fields that differ."""
    panel = entry.snippet_viewset.get_edit_handler().get_bound_panel(instance=entry, request=request, form=None)
    a, b = revision_a.as_object(), revision_b.as_object()
    return [diff for diff in (comparison(a, b) for comparison in panel.get_comparison()) if diff.has_changed()]


def reendorsement(entry, request):
    """A proposal back at the Head of Service after a request for changes: who asked for what,
    the endorsement given before, and what has changed since (with Wagtail's revision compare)."""
    state = entry.current_workflow_task_state
    if state is None or not isinstance(state.task.specific, HeadOfServiceTask):
        return None
    endorsed = services.endorsement_before(state)
    if endorsed is None:
        return None
    viewset = entry.snippet_viewset
    return {
        "endorsed": endorsed,
        "endorsed_by": get_user_display_name(endorsed.finished_by),
        "returned": services.changes_requested_before(state),
        "changes": changed_fields(entry, endorsed.revision, state.revision, request),
        "compare_url": reverse(
            viewset.get_url_name("revisions_compare"), args=(quote(entry.pk), endorsed.revision_id, state.revision_id)
        ),
    }


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
        workflow_state = self.object.current_workflow_state
        context.update(
            entry=entry,
            completeness=proposals.check(entry, proposer=workflow_state.requested_by if workflow_state else None),
            screening=checklist_sections(entry, QuestionSet.Kind.DECISION_TREE, "screening_answers"),
            checklist=checklist_sections(entry, QuestionSet.Kind.CHECKLIST, "checklist_answers"),
            risks=entry.risks.all(),
            workflow_state=workflow_state,
            reendorsement=reendorsement(self.object, self.request),
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
