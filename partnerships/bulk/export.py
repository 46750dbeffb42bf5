"""Downloading the selected entries as a spreadsheet: the listing's own export columns, cells neutralised."""

from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from partnerships.models import Partnership
from partnerships.spreadsheet import NeutralisedExportMixin

from . import forms
from .permitted import PermittedBulkAction


class SelectionSpreadsheet(NeutralisedExportMixin, SpreadsheetExportMixin):
    """The register listing's export (its columns and headings) for a chosen set of entries."""

    def __init__(self, viewset):
        self.list_export = viewset.list_export
        self.export_headings = viewset.export_headings
        self.export_filename = f"{viewset.export_filename}-selection-{timezone.localdate():%Y-%m-%d}"


class ExportSelectionBulkAction(PermittedBulkAction, SnippetBulkAction):
    display_name = "Export selection"
    action_type = "export_selection"
    aria_label = "Download the selected partnerships as a spreadsheet"
    action_priority = 35
    template_name = "partnerships/bulk/confirm.html"
    form_class = forms.ExportForm
    models = [Partnership]

    @classmethod
    def allowed(cls, user):
        policy = Partnership.snippet_viewset.permission_policy
        return user.is_authenticated and user.is_active and policy.user_has_any_permission(user, ["view", "change"])

    @property
    def viewset(self):
        return Partnership.snippet_viewset

    def get_queryset(self, model, object_ids):
        ids = [i for i in object_ids if str(i).isdigit()]
        return self.viewset.get_queryset(self.request).filter(pk__in=ids).order_by("reference")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.display_name,
            intro="Download these partnerships with the register's export columns.",
            submit_label="Download",
        )
        return context

    def form_valid(self, form):
        objects, _ = self.get_actionable_objects()
        # A queryset, not a list: the headings are read from its model's field labels.
        selection = self.get_queryset(self.model, [entry.pk for entry in objects])
        return SelectionSpreadsheet(self.viewset).as_spreadsheet(selection, form.cleaned_data["export_format"])
