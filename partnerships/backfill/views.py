"""The admin's back-fill: one entry at a time (``BackfillView``), or a selection (``BackfillBulkAction``).

Only users with ``partnerships.record_backfill`` (register managers) get past
``dispatch``; anyone else gets a 403, whatever their role's other permissions.
"""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from partnerships.admin_views import forbidden
from partnerships.bulk.permitted import PermittedBulkAction
from partnerships.models import BACKFILL_PERMISSION, Partnership

from . import services
from .forms import BackfillForm

BACKFILL_LABEL = "Record approval before the portal"


def can_backfill(user):
    return user.is_authenticated and user.is_active and user.has_perm(BACKFILL_PERMISSION)


def backfill_url(entry):
    return reverse("partnerships_backfill:record", args=(entry.pk,))


def offers_backfill(entry, user):
    """Whether a listing shows the back-fill link: a draft in a status it fits (no query per row)."""
    return not entry.live and entry.status in services.BACKFILL_STATUSES and can_backfill(user)


class BackfillPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_backfill(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class BackfillView(BackfillPermissionMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "partnerships/backfill/record.html"
    form_class = BackfillForm
    page_title = "Record approval before the portal"
    header_icon = "history"

    @cached_property
    def entry(self):
        return get_object_or_404(Partnership, pk=self.kwargs["pk"])

    def inspect_url(self):
        return reverse(Partnership.snippet_viewset.get_url_name("inspect"), args=(quote(self.entry.pk),))

    def get_page_subtitle(self):
        return f"{self.entry.reference} {self.entry.name}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(Partnership.snippet_viewset.get_url_name("list")), "label": "Register"},
            {"url": self.inspect_url(), "label": str(self.entry)},
            {"url": "", "label": "Record approval before the portal"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entry=self.entry,
            current=services.latest_version(self.entry),
            refusal=services.refusal(self.entry, self.request.user),
            inspect_url=self.inspect_url(),
            submit_url=backfill_url(self.entry),
        )
        return context

    def form_valid(self, form):
        try:
            services.record_backfill(self.entry, self.request.user, form.approval())
        except services.BackfillRefused as refusal:
            messages.error(self.request, str(refusal))
            return redirect(backfill_url(self.entry))
        messages.success(
            self.request,
            f"{self.entry.reference} {self.entry.name} is recorded as approved before the portal "
            f"({form.approval().approved_by}) and is now published on the register.",
        )
        return redirect(self.inspect_url())


class BackfillBulkAction(PermittedBulkAction, SnippetBulkAction):
    """The same record for many imported drafts at once: one date and body, one decision each."""

    display_name = "Record approval before the portal"
    action_type = "backfill"
    aria_label = "Record that the selected entries were approved before the portal"
    template_name = "partnerships/backfill/bulk.html"
    action_priority = 60
    form_class = BackfillForm
    models = [Partnership]

    @classmethod
    def allowed(cls, user):
        return can_backfill(user)

    def check_perm(self, obj):
        # Entries that cannot be back-filled are listed apart, with the reason.
        obj.refusal = services.refusal(obj, self.request.user)
        return not obj.refusal

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "submit_label": "Record approval and publish"}

    def get_execution_context(self):
        return {"user": self.request.user, "approval": self.cleaned_form.approval()}

    def execute_action(self, objects, user=None, approval=None, **kwargs):
        done, refused = services.record_backfills(objects, user, approval)
        for sentence in refused:  # changed by someone else since the confirmation page
            messages.warning(self.request, sentence)
        return len(done), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "entry" if num_parent_objects == 1 else "entries"
        return f"{num_parent_objects} {noun} recorded as approved before the portal and published on the register."
