"""The register import in the Wagtail admin: upload → check (progress) → columns → preview → confirm → progress.

Only register managers import: the file may change any entry, so the test is the
permission to add entries *and* to change anyone's (``change_any_partnership``,
which only the Register managers group holds). Anyone else gets a 403.
"""

import logging
import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from kombu.exceptions import OperationalError
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from partnerships.admin_views import forbidden
from partnerships.backfill.services import Approval
from partnerships.backfill.views import can_backfill
from partnerships.permissions import CHANGE_ANY
from partnerships.tasks import check_register_import, run_register_import

from . import jobs, writing
from .columns import COLUMNS
from .forms import ImportForm

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = ("partnerships.add_partnership", CHANGE_ANY)
URL_NAMESPACE = "partnerships_import"
REGISTER_LIST_URL = "wagtailsnippets_partnerships_partnership:list"
EDIT_URL = "wagtailsnippets_partnerships_partnership:edit"


def can_import(user):
    return user.is_authenticated and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def queue_check(token):
    """Hand the stored file to the worker to check; a queue that does not answer fails the upload, saying so."""
    jobs.set_state(token, status=jobs.CHECKING, stage="waiting")
    try:
        # Not on commit: the upload is on disk, and its record is saved outside any transaction.
        check_register_import.delay(token)
    except OperationalError:
        logger.exception("Could not queue the check of register import %s", token)
        jobs.set_state(
            token,
            status=jobs.FAILED,
            message="The file could not be checked now: the portal's task queue is not answering. "
            "Try again in a few minutes.",
        )


class ImportPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_import(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class OwnJobMixin(ImportPermissionMixin):
    """An upload belongs to the person who made it; another manager cannot confirm or watch it."""

    def job_state(self, token):
        state = jobs.get_state(token.hex)
        if not state or state.get("owner") != self.request.user.pk:
            raise Http404("No such import.")
        return state


class ImportPageMixin(ImportPermissionMixin, WagtailAdminTemplateMixin):
    page_title = "Import the register"
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(REGISTER_LIST_URL), "label": "Register"},
            {"url": url("upload"), "label": "Import"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            columns=COLUMNS,
            can_backfill=can_backfill(self.request.user),
            urls={
                "upload": url("upload"),
                "history": url("history"),
                "template_csv": url("template_csv"),
                "template_xlsx": url("template_xlsx"),
                "columns_csv": url("columns_csv"),
                "register_csv": url("register_csv"),
                "register_xlsx": url("register_xlsx"),
                "register": reverse(REGISTER_LIST_URL),
            },
        )
        return context


class UploadView(ImportPageMixin, FormView):
    """Step 1: choose a file; a task reads and checks it, and the progress page follows until its preview."""

    template_name = "partnerships/import/upload.html"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        token = jobs.store_upload(
            form.cleaned_data["file"],
            user=self.request.user,
            create_partners=form.cleaned_data["create_partners"],
            backfill=form.cleaned_data.get("approval"),
        )
        queue_check(token)
        return redirect(url("progress", uuid.UUID(token)))


class ConfirmView(OwnJobMixin, View):
    """Step 4: the register manager confirms, ticking any duplicate rows to import anyway; a task imports."""

    http_method_names = ["post"]

    def post(self, request, token):
        state = self.job_state(token)
        if state.get("status") == jobs.PREVIEWED:
            duplicates = {row["row"] for row in (state.get("summary") or {}).get("duplicates", [])}
            ticked = sorted(int(number) for number in request.POST.getlist("import_anyway") if number.isdigit())
            jobs.set_state(
                token.hex, status=jobs.QUEUED, done=0, allow_duplicates=[n for n in ticked if n in duplicates]
            )
            run_register_import.delay_on_commit(token.hex)
        return redirect(url("progress", token))


class CancelView(OwnJobMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        state = self.job_state(token)
        if state.get("status") in (jobs.PREVIEWED, jobs.MAPPING):
            jobs.set_state(token.hex, status=jobs.CANCELLED)
        return redirect(url("upload"))


class ProgressView(OwnJobMixin, ImportPageMixin, TemplateView):
    """Steps 2 and 5: the check and then the import, followed by refreshing every 2 s; the preview in between."""

    template_name = "partnerships/import/progress.html"
    refresh_seconds = 2

    def get(self, request, *args, **kwargs):
        if self.job_state(kwargs["token"]).get("status") == jobs.MAPPING:
            return redirect(url("columns", kwargs["token"]))
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if self.job_state(self.kwargs["token"]).get("status") == jobs.PREVIEWED:
            return ["partnerships/import/preview.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        token = self.kwargs["token"]
        state = self.job_state(token)
        running = state.get("status") in jobs.IN_PROGRESS
        total = state.get("total") or 0
        result = state.get("result") or {}
        context.update(
            state=state,
            filename=state.get("filename"),
            running=running,
            refresh_seconds=self.refresh_seconds if running else None,
            percent=int(100 * (state.get("done") or 0) / total) if total else 0,
            summary=state.get("summary"),
            backfill=Approval.from_data(state["backfill"]) if state.get("backfill") else None,
            confirm_url=url("confirm", token),
            cancel_url=url("cancel", token),
            result=result,
            created=[
                (reference, name, reverse(EDIT_URL, args=[pk])) for pk, reference, name in result.get("created", [])
            ],
            updated=[
                (reference, name, reverse(EDIT_URL, args=[pk])) for pk, reference, name in result.get("updated", [])
            ],
        )
        return context


class DownloadView(ImportPermissionMixin, View):
    """The template, the columns, and the register in import format (to edit and import back)."""

    files = {
        "template_csv": ("partnership-register-template.csv", writing.template_csv, writing.CSV_CONTENT_TYPE),
        "template_xlsx": ("partnership-register-template.xlsx", writing.template_xlsx, writing.XLSX_CONTENT_TYPE),
        "columns_csv": ("partnership-register-columns.csv", writing.columns_csv, writing.CSV_CONTENT_TYPE),
        "register_csv": ("partnership-register-for-import.csv", writing.register_csv, writing.CSV_CONTENT_TYPE),
        "register_xlsx": ("partnership-register-for-import.xlsx", writing.register_xlsx, writing.XLSX_CONTENT_TYPE),
    }
    which = None

    def get(self, request):
        filename, make, content_type = self.files[self.which]
        response = HttpResponse(make(), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
