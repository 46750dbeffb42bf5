"""The import history in the admin, and each import's uploaded file for the register managers to download."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import ListView

from partnerships.models import RegisterImport

from . import jobs
from .views import ImportPageMixin, ImportPermissionMixin, url

CONTENT_TYPES = {
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class HistoryView(ImportPageMixin, ListView):
    template_name = "partnerships/import/history.html"
    page_title = "Import history"
    paginate_by = 50

    def get_queryset(self):
        return RegisterImport.objects.select_related("user")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": "History"}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["imports"] = [
            (record, url("history_file", record.token), self._own_url(record)) for record in context["object_list"]
        ]
        return context

    def _own_url(self, record):
        """The import's own page, for its maker only (another manager's preview is not theirs to confirm)."""
        return url("progress", record.token) if record.user_id == self.request.user.pk else ""


class HistoryFileView(ImportPermissionMixin, View):
    """The file as it was uploaded, kept privately: served only through this permission-checked view."""

    def get(self, request, token):
        record = get_object_or_404(RegisterImport, token=token)
        path = jobs.import_dir() / record.stored_name
        if not record.stored_name or not path.is_file():
            raise Http404("The file of this import is no longer kept.")
        response = FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=record.filename,
            content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
