"""The register entry's admin views, with the rules of a proposal.

The entry's own views (``partnerships.admin_views``) are extended here: an incomplete
proposal is not submitted, a proposal is never published except by Management Board's
approval, and the inspect view reads as the proposal the Board decides on, with the
actions the user may take. What the approval workflow adds (re-endorsement, who was told
of a decision) comes through ``workflow``.
"""

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from wagtail.admin import messages
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.widgets import Button
from wagtail.models import WorkflowState
from wagtail.snippets.views import snippets

from portal.models import QuestionSet

from .. import admin_views
from ..backfill.views import BACKFILL_LABEL, backfill_url, offers_backfill
from ..lifecycle import latest
from ..models import Status
from . import completeness, workflow


def _gap_item(gap, form_url):
    anchor, tab = getattr(gap, "anchor", ""), getattr(gap, "tab", "")
    text = format_html('<a href="{}#{}">{}</a>', form_url, anchor, gap) if anchor and form_url else str(gap)
    return format_html("<li>{} ({} tab)</li>", text, tab) if tab else format_html("<li>{}</li>", text)


def missing_message(intro, gaps, form_url=""):
    """``intro`` and a list of ``gaps``; each gap of a proposal links to its field on the form and names its tab."""
    return format_html(
        "{}<ul>{}</ul>", intro, format_html_join("", "{}", ((_gap_item(gap, form_url),) for gap in gaps))
    )


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
        result = completeness.check(self.object, proposer=self.request.user)
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
        # Changed after a request for changes: endorsed again before the Board sees it.
        if (
            refusal is None
            and self._returned_for_changes()
            and workflow.current().resume_from_first_step(self.workflow_state, self.request.user)
        ):
            return None
        return refusal or super().submit_action()

    def workflow_action_action(self):
        task_state = self.object.current_workflow_task_state
        response = super().workflow_action_action()
        if task_state is not None:
            self.decision = workflow.current().decision_message(task_state.pk, self.workflow_action)
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
            entry = latest(self.object)
            state = self.object.current_workflow_state
            step = state.current_task_state.task.name if state and state.current_task_state else ""
            at_endorsement = step and workflow.current().is_endorsement_step(state.current_task_state.task.specific)
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
        told = workflow.current().decision_message(self.task_state.pk, self.action_name)
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
    for question in completeness.questions(kind):
        answer = by_question.get(question.pk)
        if not sections or sections[-1]["title"] != question.section:
            sections.append({"title": question.section, "rows": []})
        sections[-1]["rows"].append({"question": question, "answer": answer})
    return sections


class ProposalInspectView(admin_views.PartnershipInspectView):
    """The entry's inspect view, which for a proposal is the one screen the Board decides from."""

    template_name = "partnerships/proposal/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = latest(self.object)
        has_proposal = entry.is_new_proposal or entry.status == Status.REJECTED or entry.checklist_answers.all()
        if not has_proposal:
            return context
        workflow_state = self.object.current_workflow_state
        context.update(
            entry=entry,
            completeness=completeness.check(entry, proposer=workflow_state.requested_by if workflow_state else None),
            screening=checklist_sections(entry, QuestionSet.Kind.DECISION_TREE, "screening_answers"),
            checklist=checklist_sections(entry, QuestionSet.Kind.CHECKLIST, "checklist_answers"),
            risks=entry.risks.all(),
            workflow_state=workflow_state,
            reendorsement=workflow.current().reendorsement(self.object, self.request),
            actions=workflow_actions(
                self.object, self.request.user, self.object.snippet_viewset, self.request.get_full_path()
            ),
            history_url=reverse(self.object.snippet_viewset.get_url_name("history"), args=(self.object.pk,)),
        )
        return context
