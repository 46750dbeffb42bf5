"""The register for signed-in staff: every partnership in force, internal fields included.

Unlike the public register this shows officers, money, risk, due dates and governance
gaps, so it needs a sign-in; it never shows drafts or unapproved edits either, because
it reads the published rows.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, Min, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from portal.models.training import can_see_colleagues_training, modules_not_confirmed_by

from ..models import IN_FORCE_STATUSES, Partnership, RiskRegisterEntry
from ..models.querysets import is_overdue
from ..permissions import PartnershipPermissionPolicy, proposal_url
from .filters import RegisterFilterSet

PAGE_SIZE = 25
ADMIN_ACCESS = "wagtailadmin.access_admin"


def _listing(queryset, user):
    queryset = queryset.with_people().annotate_significant().annotate_due().annotate_governance_gaps()
    if can_see_colleagues_training(user):
        # Flagged when the lead officer has not confirmed every awareness training module.
        untrained = Exists(modules_not_confirmed_by(OuterRef(OuterRef("lead_officer"))))
        queryset = queryset.annotate(lead_training_incomplete=untrained)
    return queryset


def _page(request, queryset, admin_view=None):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if admin_view:
        _attach_admin_urls(request.user, page.object_list, admin_view)
    return page


@login_required
def register(request):
    entries = _listing(Partnership.objects.in_force().filter(live=True), request.user).order_by("name", "pk")
    filters = RegisterFilterSet(request.GET or None, queryset=entries)
    page = _page(request, filters.qs, admin_view="inspect")
    context = {"form": filters.form, "page_obj": page}
    return render(request, "partnerships/staff/register.html", context)


@login_required
def my_partnerships(request):
    entries = _listing(Partnership.objects.for_lead_officer(request.user), request.user).order_by("name", "pk")
    page = _page(request, entries, admin_view="edit")
    _attach_due_items(page.object_list, timezone.localdate())
    context = {
        "page_obj": page,
        "propose_url": proposal_url(request.user),
    }
    return render(request, "partnerships/staff/mine.html", context)


# How close a due date must be for "My partnerships" to flag it (the reminders' 7-day stage).
DUE_SOON_DAYS = 7


@dataclass
class DueItem:
    label: str
    date: datetime.date | None
    days: int | None = None  # until the date; negative once it has passed
    action_label: str = ""
    action_url: str = ""
    overdue: bool = False

    @property
    def due_soon(self):
        return self.days is not None and 0 <= self.days <= DUE_SOON_DAYS


def _attach_due_items(entries, today):
    """Give each entry ``due_items``: what falls due next, flagged overdue or due within 7 days (one query)."""
    risk_reviews = dict(
        RiskRegisterEntry.objects.filter(partnership__in=entries, review_date__isnull=False)
        .values("partnership")
        .annotate(first=Min("review_date"))
        .values_list("partnership", "first")
    )
    for entry in entries:
        in_force = entry.status in IN_FORCE_STATUSES
        report_url = reverse("partnerships_staff:progress_report", args=[entry.pk]) if in_force else ""
        review_url = reverse("partnerships_staff:annual_review", args=[entry.pk]) if in_force else ""
        items = [
            DueItem(
                "Next progress report", entry.next_progress_report_due, None, "Submit a progress report", report_url
            ),
            DueItem("Next annual review", entry.next_review_due, None, "Record the annual review", review_url),
            DueItem("Terms of reference renewal", entry.terms_of_reference_renewal_date),
            DueItem("Next risk register review", risk_reviews.get(entry.pk)),
        ]
        for item in items:
            if item.date and in_force:
                item.days = (item.date - today).days
            item.overdue = is_overdue(entry.status, item.date, today)
        entry.due_items = items


def _attach_admin_urls(user, entries, view_name):
    """Give each entry ``admin_url`` where the user's role would let them in, else None."""
    policy = PartnershipPermissionPolicy(Partnership)
    action = "change" if view_name == "edit" else "view"
    has_admin = user.has_perm(ADMIN_ACCESS)
    for entry in entries:
        allowed = has_admin and (
            policy.user_has_permission_for_instance(user, action, entry)
            or policy.user_has_permission_for_instance(user, "change", entry)
        )
        entry.admin_url = (
            reverse(f"wagtailsnippets_partnerships_partnership:{view_name}", args=[entry.pk]) if allowed else None
        )
