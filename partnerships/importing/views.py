"""The register import in the Wagtail admin: upload → check (progress) → preview → confirm → progress.

Only register managers import: the file may change any entry, so the test is the
permission to add entries *and* to change anyone's (``change_any_partnership``,
which only the Register managers group holds). Anyone else gets a 403.

The views are a ``ViewSet`` so that the register's "Partnerships" menu group can
take it as one more item; until it does, ``wagtail_hooks`` registers it alone, with
a top-level menu item.
"""

import logging
import uuid

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from kombu.exceptions import OperationalError
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput

from partnerships.admin_views import forbidden
from partnerships.backfill.services import Approval
from partnerships.backfill.views import can_backfill
from partnerships.permissions import CHANGE_ANY
from partnerships.tasks import check_register_import, run_register_import

from . import jobs, writing
from .columns import COLUMNS
from .reader import size_problem

logger = logging.getLogger(__name__)

IMPORT_PERMISSIONS = ("partnerships.add_partnership", CHANGE_ANY)
URL_NAMESPACE = "partnerships_import"
REGISTER_LIST_URL = "wagtailsnippets_partnerships_partnership:list"
EDIT_URL = "wagtailsnippets_partnerships_partnership:edit"


def can_import(user):
    return user.is_authenticated and user.is_active and user.has_perms(IMPORT_PERMISSIONS)


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV or Excel (.xlsx) file laid out like the template, with one entry per row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )
    create_partners = forms.BooleanField(
        label="Create partner organisations that don't exist yet",
        required=False,
        help_text=(
            "Without this, a partner organisation the register does not know stops the import and is listed, "
            "so that a misspelling is not saved as a new organisation. Created ones get the sector 'Other'."
        ),
    )

    backfill = forms.BooleanField(
        label="These partnerships were approved before the portal",
        required=False,
        help_text=(
            "Record every row whose status is active, under review, exiting or closed as approved before the "
            "portal, with the date and body below, and publish it. Only register managers may. Proposals in the "
            "file stay drafts for the approval workflow. Each record goes into the decision log with your name."
        ),
    )
    approved_on = forms.DateField(
        label="Date they were approved",
        required=False,
        widget=AdminDateInput,
        help_text="Needed only for the back-fill. The date of the meeting or decision.",
        error_messages={"invalid": "Enter the date they were approved as a real date"},
    )
    approved_by = forms.CharField(
        label="Who approved them",
        required=False,
        max_length=255,
        help_text="Needed only for the back-fill. For example Cabinet, or Management Board.",
    )
    minute_reference = forms.CharField(label="Minute reference (optional)", required=False, max_length=100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not can_backfill(user):
            for name in ("backfill", "approved_on", "approved_by", "minute_reference"):
                del self.fields[name]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload.size)
        if problem:
            raise forms.ValidationError(problem)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("backfill"):
            return cleaned
        approved_on = cleaned.get("approved_on")
        approved_by = " ".join((cleaned.get("approved_by") or "").split())
        if approved_on is None and "approved_on" not in self.errors:
            self.add_error("approved_on", "Enter the date they were approved")
        elif approved_on is not None and approved_on > timezone.localdate():
            self.add_error("approved_on", "The date they were approved must be today or in the past")
        if not approved_by:
            self.add_error("approved_by", "Enter who approved them, for example Cabinet")
        if not self.errors:
            minute = " ".join((cleaned.get("minute_reference") or "").split())
            cleaned["approval"] = Approval(approved_on, approved_by, minute)
        return cleaned


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
            urls={
                "upload": url("upload"),
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
        jobs.set_state(token, status=jobs.CHECKING, stage="waiting")
        try:
            # Not on commit: the upload is in the cache and on disk, and the request writes no row.
            check_register_import.delay(token)
        except OperationalError:
            logger.exception("Could not queue the check of register import %s", token)
            jobs.discard(token)
            jobs.set_state(
                token,
                status=jobs.FAILED,
                message="The file could not be checked now: the portal's task queue is not answering. "
                "Try again in a few minutes.",
            )
        return redirect(url("progress", uuid.UUID(token)))


class ConfirmView(OwnJobMixin, View):
    """Step 3: the register manager confirms; the import runs as a task and the progress page follows it."""

    http_method_names = ["post"]

    def post(self, request, token):
        state = self.job_state(token)
        if state.get("status") == jobs.PREVIEWED:
            jobs.set_state(token.hex, status=jobs.QUEUED, done=0)
            run_register_import.delay_on_commit(token.hex)
        return redirect(url("progress", token))


class CancelView(OwnJobMixin, View):
    http_method_names = ["post"]

    def post(self, request, token):
        state = self.job_state(token)
        if state.get("status") == jobs.PREVIEWED:
            jobs.discard(token.hex)
            jobs.set_state(token.hex, status="cancelled")
        return redirect(url("upload"))


class ProgressView(OwnJobMixin, ImportPageMixin, TemplateView):
    """Steps 2 and 4: the check and then the import, followed by refreshing every 2 s; the preview in between."""

    template_name = "partnerships/import/progress.html"
    refresh_seconds = 2

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


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


class RegisterImportViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "partnerships/import"
    icon = "upload"
    menu_label = "Import spreadsheet"
    menu_name = "register-import"
    menu_order = 251
    # In the "Partnerships" menu group, the group shows the item; registered alone
    # (wagtail_hooks), it asks for a top-level one.
    add_to_admin_menu = False

    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        downloads = [
            path(f"{name.replace('_', '.')}", DownloadView.as_view(which=name), name=name)
            for name in DownloadView.files
        ]
        return [
            path("", UploadView.as_view(), name="upload"),
            path("<uuid:token>/confirm/", ConfirmView.as_view(), name="confirm"),
            path("<uuid:token>/cancel/", CancelView.as_view(), name="cancel"),
            path("<uuid:token>/", ProgressView.as_view(), name="progress"),
            *downloads,
        ]
