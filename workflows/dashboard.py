"""The admin dashboard panel for register managers: what is overdue, by kind and service area."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from partnerships.permissions import can_change_any
from workflows.reminders.overdue import overdue_counts, overdue_pages
from workflows.reminders.rules import KINDS

PARTNERSHIP_KINDS = [kind for slug, kind in KINDS.items() if slug != "content_review"]


def overdue_table(today):
    """Rows of (service area, [count per kind], total) and the totals row; one query per kind, plus one for pages."""
    counts = overdue_counts(today)
    areas = sorted({area for per_area in counts.values() for area in per_area})
    rows = []
    for area in areas:
        values = [counts[kind.slug].get(area, 0) for kind in PARTNERSHIP_KINDS]
        rows.append((area, values, sum(values)))
    totals = [sum(counts[kind.slug].values()) for kind in PARTNERSHIP_KINDS]
    pages = sum(queryset.count() for _model, queryset in overdue_pages(today))
    return {"kinds": PARTNERSHIP_KINDS, "rows": rows, "totals": totals, "total": sum(totals), "pages": pages}


class OverduePanel(Component):
    name = "overdue_reviews"
    order = 50
    template_name = "workflows/dashboard/overdue_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {"today": today, **overdue_table(today)}


def add_overdue_panel(request, panels):
    """``construct_homepage_panels``: the panel for register managers only."""
    if can_change_any(request.user):
        panels.append(OverduePanel(request))
