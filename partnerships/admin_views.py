"""Admin views for register entries: Wagtail's snippet views, made entry-aware.

Wagtail checks snippet permissions per model. These subclasses add the register's
rule that a lead officer acts only on the entries they lead, and answer a refusal
with a real 403 rather than Wagtail's redirect to the dashboard, so that a refused
officer (and a test) can tell "not allowed" from "moved".
"""

import re

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log
from wagtail.snippets.views import snippets
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.edit_conflicts import RefuseStaleSnippetEditsMixin

from .inspect_values import HumanValuesMixin
from .permissions import OWN_ENTRY_ACTIONS
from .screening.prefill import ScreeningPrefillMixin
from .spreadsheet import NeutralisedExportMixin


class ForbiddenResponseMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request, getattr(self, "object", None), getattr(self, "inspect_url_name", None))


def forbidden(request, instance=None, inspect_url_name=None):
    inspect_url = None
    if instance is not None and inspect_url_name:
        inspect_url = reverse(inspect_url_name, args=(quote(instance.pk),))
    context = {"instance": instance, "inspect_url": inspect_url, "header_title": "Not allowed"}
    return TemplateResponse(request, "partnerships/admin/forbidden.html", context, status=403)


class OwnEntryMixin(ForbiddenResponseMixin):
    """A model permission is not enough on an existing entry: the entry must be the user's to act on."""

    def user_has_permission(self, permission):
        allowed = super().user_has_permission(permission)
        instance = getattr(self, "object", None)
        if not allowed or instance is None or instance.pk is None or permission not in OWN_ENTRY_ACTIONS:
            return allowed
        user = self.request.user
        if self.permission_policy.user_has_permission_for_instance(user, permission, instance):
            return True
        return self._workflow_allows(permission, instance)

    def _workflow_allows(self, permission, instance):
        # An approver at a workflow step may open someone else's entry (the workflow's tasks
        # decide who); without a workflow in progress the answer stays no.
        user = self.request.user
        if permission == "unlock" and instance.locked_by_id == user.pk:
            return True
        task = instance.current_workflow_task
        if task is None:
            return False
        if permission == "change":
            return task.user_can_access_editor(instance, user)
        if permission == "lock":
            return task.user_can_lock(instance, user)
        if permission == "unlock":
            return task.user_can_unlock(instance, user)
        return False


class EntryLinksMixin:
    """Offer edit and delete only where the user may use them, so nobody is sent to a 403."""

    def _may(self, action, instance):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, action, instance)

    def get_edit_url(self, instance=None):
        instance = self.object if instance is None else instance
        if self.edit_url_name and self._may("change", instance):
            return reverse(self.edit_url_name, args=(quote(instance.pk),))

    def get_delete_url(self, instance=None):
        instance = self.object if instance is None else instance
        if self.delete_url_name and self._may("delete", instance):
            return reverse(self.delete_url_name, args=(quote(instance.pk),))


REFERENCE_QUERY = re.compile(r"[Pp]-\d+")


class SnippetIndexView(NeutralisedExportMixin, snippets.IndexView):
    """Every snippet listing's CSV export is opened in spreadsheets: no cell may run as a formula."""


class RegisterSnippetViewSet(SnippetViewSet):
    """The base of every snippet viewset the portal registers, so each export is neutralised."""

    index_view_class = SnippetIndexView


class PartnershipIndexView(EntryLinksMixin, SnippetIndexView):
    def search_queryset(self, queryset):
        # PostgreSQL's full-text parser splits "P-0042" into "p" and "-42", so a
        # reference typed into the search box is matched exactly instead.
        query = (self.search_query or "").strip()
        if REFERENCE_QUERY.fullmatch(query):
            return queryset.filter(reference__iexact=query)
        return super().search_queryset(queryset)


class PartnershipInspectView(HumanValuesMixin, EntryLinksMixin, ForbiddenResponseMixin, snippets.InspectView):
    def get_lead_officer_display_value(self):
        return self.object.lead_officer_name() or "Not named"

    def get_head_of_service_display_value(self):
        return self.object.head_of_service_name() or "Not named"

    def get_champion_display_value(self):
        return self.object.champion_name() or "None named"

    def get_partners_display_value(self):
        links = self.object.partners.select_related("organisation")
        return (
            "; ".join(f"{link.organisation} ({link.role})" if link.role else str(link.organisation) for link in links)
            or "None recorded"
        )

    def get_representatives_display_value(self):
        people = self.object.representatives.select_related("officer")
        return "; ".join(f"{rep} ({rep.role})" if rep.role else str(rep) for rep in people) or "None recorded"

    def get_risks_display_value(self):
        risks = self.object.risks.all()
        return "; ".join(f"{risk.get_kind_display()}: {risk} (score {risk.score})" for risk in risks) or "None recorded"

    def get_is_significant_display_value(self):
        return "Yes" if self.object.is_significant else "No"


class NoAutosaveMixin:
    """The register's forms save only when their user asks.

    Wagtail autosaves every half second: on the create form that made a numbered draft from
    whatever had been typed so far (an abandoned form left an entry behind), and on SQLite its
    requests raced the officer's own submit. A proposal is a deliberate act, so this form has
    Save draft and Submit, and nothing in between.
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False

    def post(self, request, *args, **kwargs):
        if self.expects_json_response:  # an autosave from a page rendered before this rule
            return self.json_error_response("autosave_disabled", "Save the form to keep your changes.")
        return super().post(request, *args, **kwargs)


class PartnershipEditView(NoAutosaveMixin, RefuseStaleSnippetEditsMixin, OwnEntryMixin, snippets.EditView):
    pass


class PartnershipCreateView(ScreeningPrefillMixin, NoAutosaveMixin, ForbiddenResponseMixin, snippets.CreateView):
    pass


class PartnershipDeleteView(OwnEntryMixin, snippets.DeleteView):
    pass


class PartnershipUnpublishView(OwnEntryMixin, snippets.UnpublishView):
    pass


class PartnershipLockView(OwnEntryMixin, snippets.LockView):
    pass


LOCK_TAKEN_OVER = "partnerships.lock_taken_over"


class PartnershipUnlockView(OwnEntryMixin, snippets.UnlockView):
    def perform_operation(self):
        # Unlocking someone else's lock takes the entry from them mid-edit: the history says whose it was.
        holder, since = self.object.locked_by, self.object.locked_at
        super().perform_operation()
        if holder is not None and holder != self.request.user:
            log(
                instance=self.object,
                action=LOCK_TAKEN_OVER,
                user=self.request.user,
                data={
                    "locked_by": {"id": holder.pk, "name": get_user_display_name(holder)},
                    "locked_at": since.isoformat() if since else None,
                },
            )


class PartnershipHistoryView(ForbiddenResponseMixin, snippets.HistoryView):
    # Management Board and Heads of Service read the audit trail they approve from.
    any_permission_required = ["add", "change", "delete", "view"]


class PartnershipRevisionsCompareView(ForbiddenResponseMixin, snippets.RevisionsCompareView):
    # A Head of Service re-endorsing a proposal sees what changed since they endorsed it:
    # whoever may read the history may compare its versions.
    permission_required = None
    any_permission_required = ["add", "change", "delete", "view"]
