"""The listing's bulk changes: each entry checked as its edit form would be, each change a revision.

A user who may not change an entry (another officer's, a declined proposal, one locked
by someone else) sees it listed apart with the reason and it is left alone, however
the URL was put together. People without change permission on the register at all
(Heads of Service, Management Board) are not offered these actions, and get a 403 by URL.
"""

from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.permissions import get_permission_name

from partnerships.models import Partnership
from partnerships.permissions import PartnershipPermissionPolicy, can_change_any, head_of_service_problem

from . import forms
from .history import record_bulk_change
from .permitted import PermittedBulkAction

CHANGE = "partnerships.change_partnership"


def partnerships(count):
    return f"{count} partnership" if count == 1 else f"{count} partnerships"


class EntryBulkAction(PermittedBulkAction, SnippetBulkAction):
    """A change to the selected entries, each one the user's to change."""

    models = [Partnership]
    template_name = "partnerships/bulk/confirm.html"
    intro = ""
    submit_label = "Save"
    done = "changed"

    @classmethod
    def allowed(cls, user):
        return user.is_authenticated and user.is_active and user.has_perm(CHANGE)

    @cached_property
    def policy(self):
        return PartnershipPermissionPolicy(Partnership)

    @classmethod
    def get_queryset(cls, model, object_ids):
        return list(Partnership.objects.with_people().filter(pk__in=[i for i in object_ids if str(i).isdigit()]))

    def check_perm(self, entry):
        entry.refusal = self.refusal(entry)
        return not entry.refusal

    def refusal(self, entry):
        user = self.request.user
        if not self.policy.user_has_permission_for_instance(user, "change", entry):
            return "is not yours to change: only its lead officer or a register manager can change it"
        if entry.locked and entry.locked_by_id != user.pk:
            return "is locked by another user while they edit it"
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.display_name, intro=self.intro, submit_label=self.submit_label)
        return context

    def get_execution_context(self):
        return {"user": self.request.user, "changes": self.cleaned_form.changes()}

    def execute_action(self, objects, user=None, changes=None, **kwargs):
        done = 0
        for entry in objects:
            problem = self.problem_with(entry, changes)
            if problem:
                messages.warning(self.request, f"{entry.reference} {entry.name} was not changed: {problem}")
                continue
            record_bulk_change(entry, user, changes)
            done += 1
        return done, 0

    def problem_with(self, entry, changes):
        """Why ``changes`` cannot go onto this entry (known only once the form is filled in)."""
        return ""

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{partnerships(num_parent_objects)} {self.done}. Each change is in the partnership's history."


class AssignLeadOfficerBulkAction(EntryBulkAction):
    display_name = "Assign lead officer"
    action_type = "assign_lead_officer"
    aria_label = "Give the selected partnerships to another lead officer"
    action_priority = 40
    form_class = forms.LeadOfficerForm
    intro = "The new lead officer keeps these partnerships up to date from now on."
    submit_label = "Assign lead officer"
    done = "given a new lead officer"

    @classmethod
    def allowed(cls, user):
        # Only register managers give an entry to another lead officer, as on the edit form.
        return super().allowed(user) and can_change_any(user)


class AssignHeadOfServiceBulkAction(EntryBulkAction):
    display_name = "Assign Head of Service"
    action_type = "assign_head_of_service"
    aria_label = "Name the Head of Service responsible for the selected partnerships"
    action_priority = 45
    form_class = forms.HeadOfServiceForm
    intro = "The Head of Service answers for these partnerships and endorses their proposals."
    submit_label = "Assign Head of Service"
    done = "given a new Head of Service"

    def problem_with(self, entry, changes):
        state = entry.current_workflow_state
        proposer_id = state.requested_by_id if state is not None and state.status == state.STATUS_IN_PROGRESS else None
        return head_of_service_problem(
            changes["head_of_service"], lead_officer_id=entry.lead_officer_id, proposer_id=proposer_id
        )


class ReviewDatesBulkAction(EntryBulkAction):
    display_name = "Set review dates"
    action_type = "set_review_dates"
    aria_label = "Set the next annual review or progress report date of the selected partnerships"
    action_priority = 50
    form_class = forms.ReviewDatesForm
    intro = (
        "The dates you give replace each partnership's next annual review or progress report date; "
        "reminders follow the new dates."
    )
    submit_label = "Set review dates"
    done = "given new review dates"


class DeletePartnershipsBulkAction(PermittedBulkAction, DeleteBulkAction):
    """Wagtail's delete, named for partnerships and checked entry by entry like the rest."""

    aria_label = "Delete selected partnerships"
    models = [Partnership]

    @classmethod
    def allowed(cls, user):
        return user.is_authenticated and user.is_active and user.has_perm(get_permission_name("delete", Partnership))

    def check_perm(self, entry):
        policy = PartnershipPermissionPolicy(Partnership)
        return policy.user_has_permission_for_instance(self.request.user, "delete", entry)
