"""Reports from the public in the admin: listed until a register manager marks them resolved."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from ..models import PublicReport
from ..spreadsheet import NeutralisedExportMixin

RESOLVE = "partnerships.resolve_publicreport"


class UnresolvedIndexView(NeutralisedExportMixin, IndexView):
    # Its text comes from the public: a download must never run it as a formula.
    url_namespace_resolve = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(RESOLVE):
            url = reverse(self.url_namespace_resolve, args=[instance.pk])
            buttons.insert(0, ListingButton("Resolve", url=url, icon_name="check", priority=5))
        return buttons


class ResolveView(WagtailAdminTemplateMixin, TemplateView):
    """Asks "Mark this report resolved?"; a POST takes it off the list."""

    template_name = "partnerships/contact/admin_resolve.html"
    page_title = "Resolve report"
    index_url_name = None

    def dispatch(self, request, pk):
        if not request.user.has_perm(RESOLVE):
            raise PermissionDenied
        self.report = get_object_or_404(PublicReport, pk=pk, resolved_at__isnull=True)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.report)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "report": self.report, "index_url": reverse(self.index_url_name)}

    def post(self, request, pk):
        self.report.resolved_at, self.report.resolved_by = timezone.now(), request.user
        self.report.save(update_fields=["resolved_at", "resolved_by"])
        messages.success(request, f"“{self.report}” marked resolved.")
        return redirect(self.index_url_name)


class PublicReportViewSet(SnippetViewSet):
    model = PublicReport
    icon = "mail"
    menu_label = "Reports from the public"
    menu_order = 700
    index_view_class = UnresolvedIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    # The first, a field name, is the title column that carries the Resolve button.
    list_display = [
        "__str__",
        Column("message", label="What they wrote"),
        Column("email", label="Email for a reply"),
        Column("received_at", label="Received", sort_key="received_at"),
    ]
    list_filter = ["kind"]
    ordering = "-received_at"
    inspect_view_fields = ["kind", "entry_name", "partnership", "message", "email", "received_at"]

    def get_queryset(self, request):
        # Until resolved, and no longer.
        return PublicReport.objects.filter(resolved_at__isnull=True)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(url_namespace_resolve=self.get_url_name("resolve"), **kwargs)

    @property
    def resolve_view(self):
        return ResolveView.as_view(index_url_name=self.get_url_name("list"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("resolve/<int:pk>/", self.resolve_view, name="resolve")]
