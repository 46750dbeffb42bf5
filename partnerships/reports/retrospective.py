"""The retrospective review of existing partnerships: a business case and a risk assessment for each.

When the Framework came in, every partnership the council was already in was to be
reviewed for a business case and a risk assessment within six months (Wirral 2.7).
An existing partnership is one brought onto the register by a back-fill (approved
before the portal); its six months run from the day that back-fill was recorded. A
business case counts whichever way it was given: written in the proposal's fields
or uploaded as a document.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, Q
from wagtail.admin.ui.tables import Column

from partnerships.models import ApprovalRecord
from partnerships.models.querysets import governance_gap_expressions
from partnerships.reviews.due_dates import months_after

from . import queries
from .base import ENTRY_COLUMNS, ENTRY_EXPORT, ENTRY_HEADINGS, EntriesReportView, FigureTable, yes_no

REVIEW_MONTHS = 6
DONE, OVERDUE, IN_TIME = "Done", "Overdue", "Not yet due"


def long_date(day):
    return f"{day.day} {day:%B %Y}" if day else ""


def on_register_since(partnership):
    return partnership.approval_record.recorded_at.date()


def deadline(partnership):
    return months_after(on_register_since(partnership), REVIEW_MONTHS)


def has_business_case(partnership):
    return not partnership.gap_business_case


def has_risk_assessment(partnership):
    return not partnership.gap_risk_assessment


def review_state(partnership, today):
    if has_business_case(partnership) and has_risk_assessment(partnership):
        return DONE
    return OVERDUE if deadline(partnership) < today else IN_TIME


def existing_partnerships(queryset):
    """Unfinished entries brought in by a back-fill, with their business case and risk assessment flags."""
    gaps = governance_gap_expressions()
    return (
        queries.unfinished(queryset)
        .filter(approval_record__route=ApprovalRecord.Route.BACKFILL)
        .annotate(gap_business_case=gaps["gap_business_case"], gap_risk_assessment=gaps["gap_risk_assessment"])
        .select_related("approval_record")
        .with_people()
        .order_by("approval_record__recorded_at", "reference", "pk")
    )


class RetrospectiveReviewReportView(EntriesReportView):
    """Each existing partnership's review deadline, and whether its business case and risk assessment are in."""

    url_name = "retrospective_review"
    menu_label = "Review of existing partnerships"
    menu_icon = "history"
    menu_order = 2055
    export_filename = "review-of-existing-partnerships"
    verbose_name_plural = "existing partnerships"
    intro = (
        "Every partnership the council was already in when the register began needs a business case (written "
        "or uploaded) and a risk assessment (an entry in its risk register) within six months of being recorded "
        "on the register. Earliest deadline first."
    )

    def get_filtered_queryset(self):
        partnerships = existing_partnerships(super().get_filtered_queryset())
        self.counts = self.count_states(partnerships)
        return partnerships

    def count_states(self, partnerships):
        done = Q(gap_business_case=False, gap_risk_assessment=False)
        started_before = months_after(self.today, -REVIEW_MONTHS)
        return partnerships.aggregate(
            entries=Count("pk"),
            done=Count("pk", filter=done),
            overdue=Count("pk", filter=~done & Q(approval_record__recorded_at__date__lt=started_before)),
        )

    @property
    def columns(self):
        return [
            *ENTRY_COLUMNS,
            Column("since", label="On the register since", accessor=lambda p: long_date(on_register_since(p))),
            Column("deadline", label="Review deadline", accessor=lambda p: long_date(deadline(p))),
            Column("business_case", label="Business case", accessor=lambda p: yes_no(has_business_case(p))),
            Column("risk", label="Risk assessment", accessor=lambda p: yes_no(has_risk_assessment(p))),
            Column("state", label="Review", accessor=lambda p: review_state(p, self.today)),
        ]

    list_export = [*ENTRY_EXPORT, "since", "deadline", "business_case", "risk", "state"]
    export_headings = {
        **ENTRY_HEADINGS,
        "since": "On the register since",
        "deadline": "Review deadline",
        "business_case": "Business case",
        "risk": "Risk assessment",
        "state": "Review",
    }

    @property
    def computed(self):
        return {
            "since": on_register_since,
            "deadline": deadline,
            "business_case": has_business_case,
            "risk": has_risk_assessment,
            "state": lambda p: review_state(p, self.today),
        }

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = self.counts
        rows = (
            queries.Row("done", DONE, (counts["done"],)),
            queries.Row("overdue", OVERDUE, (counts["overdue"],)),
            queries.Row("in_time", IN_TIME, (counts["entries"] - counts["done"] - counts["overdue"],)),
        )
        context["summary_table"] = FigureTable(
            "review-counts",
            "Existing partnerships by review",
            "Review",
            ("Partnerships",),
            queries.Figures(("Partnerships",), rows, queries.Row(None, "Existing partnerships", (counts["entries"],))),
            format_value=intcomma,
        )
        return context
