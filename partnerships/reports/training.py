"""Awareness training report (seed 003 4.1; Wyre Forest 4.3, Wirral 2.8): everyone in a role, and where they stand.

One row a person in any of the portal's roles, councillors (Members) included: their
roles, how many modules they have completed and are not yet due to refresh, when they
last completed one, when their next refresher falls due, and for lead officers the
partnerships in force they lead. A summary by role sits above; the list downloads as
CSV or XLSX through Wagtail's report export. Only register managers see it: it
names colleagues whose training is outstanding.
"""

from collections import defaultdict
from dataclasses import dataclass

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.reports import ReportView

from partnerships.admin_views import forbidden
from partnerships.models import Partnership
from partnerships.spreadsheet import NeutralisedExportMixin
from portal.models.training import can_see_colleagues_training, training_modules
from portal.roles import ALL_GROUPS
from portal.training import progress

STATUS_LABELS = {
    progress.COMPLETED: "Completed",
    progress.NOT_STARTED: "Not started",
    progress.REFRESHER_DUE: "Outstanding or due for refresher",
}


@dataclass
class PersonTraining:
    """One person's training, as the report shows and downloads it."""

    pk: int
    name: str
    email: str
    roles: str
    status_key: str
    completed: int
    modules: int
    last_completed: object
    next_due: object
    partnerships_led: str

    @property
    def status(self):
        return STATUS_LABELS[self.status_key]

    @property
    def completed_text(self):
        return f"{self.completed} of {self.modules}"


class TrainingFilterSet(WagtailFilterSet):
    role = django_filters.ModelChoiceFilter(
        label="Role", field_name="groups", queryset=Group.objects.filter(name__in=ALL_GROUPS).order_by("name")
    )
    status = django_filters.ChoiceFilter(
        label="Training", choices=list(STATUS_LABELS.items()), method="keep", empty_label="Everyone"
    )

    class Meta:
        model = get_user_model()
        fields = ["role", "status"]

    def keep(self, queryset, name, value):
        return queryset  # the status is worked out per person, after the roles are filtered


def people_in_roles():
    return get_user_model().objects.filter(is_active=True, groups__name__in=ALL_GROUPS).distinct()


def training_rows(users, today):
    """PersonTraining for each of ``users``, in four queries whatever their number."""
    users = list(users.order_by("last_name", "first_name", "username"))
    ids = [user.pk for user in users]
    modules = list(training_modules())
    latest = progress.latest_completions(ids, [module.pk for module in modules])
    roles = defaultdict(list)
    for user_id, name in Group.objects.filter(user__in=ids, name__in=ALL_GROUPS).values_list("user", "name"):
        roles[user_id].append(name)
    led = defaultdict(list)
    for user_id, name in (
        Partnership.objects.in_force().filter(lead_officer__in=ids).order_by("name").values_list("lead_officer", "name")
    ):
        led[user_id].append(name)
    rows = []
    for user in users:
        items = progress.progress_of(user.pk, modules, latest, today)
        dates = [item.completed_on for item in items if item.completed_on]
        rows.append(
            PersonTraining(
                pk=user.pk,
                name=get_user_display_name(user),
                email=user.email,
                roles=", ".join(sorted(roles[user.pk])),
                status_key=progress.overall(items),
                completed=sum(item.status == progress.COMPLETED for item in items),
                modules=len(modules),
                last_completed=max(dates, default=None),
                next_due=progress.next_due(user, modules, latest),
                partnerships_led="; ".join(led[user.pk]),
            )
        )
    return rows


def summary_by_role(rows):
    """[{role, people, completed, outstanding, not_started}] for every role, in the order roles are listed."""
    counts = {role: {"role": role, "people": 0, **dict.fromkeys(STATUS_LABELS, 0)} for role in sorted(ALL_GROUPS)}
    for row in rows:
        for role in filter(None, row.roles.split(", ")):
            counts[role]["people"] += 1
            counts[role][row.status_key] += 1
    return list(counts.values())


def _date(value):
    return f"{value:%-d %B %Y}" if value else ""


class TrainingReportView(NeutralisedExportMixin, ReportView):
    page_title = "Awareness training"
    header_icon = "user"
    template_name = "partnerships/reports/report.html"
    results_template_name = "partnerships/training_report_results.html"
    index_url_name = "training_report:index"
    index_results_url_name = "training_report:results"
    filterset_class = TrainingFilterSet
    export_filename = "awareness-training"
    columns = [
        Column("name", label="Name"),
        Column("roles", label="Roles"),
        Column("status", label="Training"),
        Column("completed_text", label="Modules completed"),
        Column("last_completed", label="Last completed", accessor=lambda row: _date(row.last_completed)),
        Column("next_due", label="Next due", accessor=lambda row: _date(row.next_due)),
        Column("partnerships_led", label="Partnerships led"),
    ]
    list_export = [
        "name",
        "email",
        "roles",
        "status",
        "completed",
        "modules",
        "last_completed",
        "next_due",
        "partnerships_led",
    ]
    export_headings = {
        "name": "Name",
        "email": "Email",
        "roles": "Roles",
        "status": "Training",
        "completed": "Modules completed",
        "modules": "Modules",
        "last_completed": "Last completed",
        "next_due": "Next due",
        "partnerships_led": "Partnerships led",
    }

    def dispatch(self, request, *args, **kwargs):
        if not can_see_colleagues_training(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        return people_in_roles()

    def get_filtered_queryset(self):
        rows = training_rows(super().get_filtered_queryset(), self.today)
        self.summary = summary_by_role(rows)
        wanted = self.filters.form.cleaned_data.get("status") if self.filters and self.filters.is_valid() else ""
        return [row for row in rows if row.status_key == wanted] if wanted else rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["summary"] = self.summary
        context["intro"] = (
            f"Everyone in a role on the portal, councillors included, and whether they have passed all "
            f"{len(list(training_modules()))} training modules in the last {progress.REFRESHER_MONTHS} months. "
            "A module not taken is first due a month after the person joined."
        )
        return context


urlpatterns = [
    path("", TrainingReportView.as_view(), name="index"),
    path("results/", TrainingReportView.as_view(results_only=True), name="results"),
]
