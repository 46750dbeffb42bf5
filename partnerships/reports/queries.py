"""The reports' figures, each a function over a queryset of partnerships.

Every function aggregates in the database (``values()`` grouping with ``Count`` or
``Sum``, one conditional aggregate per year), so a report costs the same few queries
for 50 entries or 10,000, and a caller can narrow the queryset first (one service
area, one level) without the figures changing shape.

A partnership counts in a year when it was in force at any time in that year: it
started on or before 31 December, had not ended before 1 January, and got past
approval (seed 000's Table 1 counts the partnerships the council was in, so
proposals, pending and rejected entries never count; closed ones count for the
years they ran).
"""

import datetime
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Max, Min, Q, Sum

from partnerships.models import IN_FORCE_STATUSES, Basis, CouncilRole, Level, Status
from partnerships.models.querysets import governance_gap_expressions

# Never in force: the council had not (or never) joined.
NOT_JOINED_STATUSES = (Status.PROPOSED, Status.AWAITING_APPROVAL, Status.REJECTED)
# Lists of entries to act on leave out the ones that are over: closed or rejected.
FINISHED_STATUSES = (Status.CLOSED, Status.REJECTED)
# A year range wider than this is offered in the form but not shown unasked.
DEFAULT_YEARS_SHOWN = 30
NOT_RECORDED = "Not recorded"
PENNY = Decimal("0.01")
NO_SERVICE_AREA = "No service area"

MONEY_FIELDS = {
    "contribution": ("annual_contribution", "Council contribution"),
    "in_kind": ("in_kind_value", "In-kind officer time"),
    "external": ("external_funding", "External funding"),
}


@dataclass(frozen=True)
class Row:
    """One row of figures: ``key`` is the grouped value (a choice, a service area id)."""

    key: object
    label: str
    values: tuple


@dataclass(frozen=True)
class Figures:
    """A table of figures: rows by something, one value per column, and a total row."""

    columns: tuple
    rows: tuple
    total: Row

    def column(self, index):
        return [row.values[index] for row in self.rows]


def joined(queryset):
    """Entries the council has been in: everything past approval, closed ones included."""
    return queryset.exclude(status__in=NOT_JOINED_STATUSES)


def current(queryset):
    """Entries the council is in now (active, under review, exiting)."""
    return queryset.filter(status__in=IN_FORCE_STATUSES)


def unfinished(queryset):
    return queryset.exclude(status__in=FINISHED_STATUSES)


def in_force_during(year):
    """In force at any time in ``year``: started by its end, not ended before its start."""
    return Q(start_date__lte=datetime.date(year, 12, 31)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1))
    )


def year_span(queryset, today):
    """The years the data covers, ``(first, last)``, or None for an empty register.

    From the earliest start to the latest start or end date, and at least to this
    year, since an entry with no end date is in force today.
    """
    span = joined(queryset).aggregate(first=Min("start_date"), last_start=Max("start_date"), last_end=Max("end_date"))
    if span["first"] is None:
        return None
    last = max(d.year for d in (span["last_start"], span["last_end"], today) if d)
    return span["first"].year, last


def default_years(span, today):
    """Up to this year (not into planned futures), at most ``DEFAULT_YEARS_SHOWN`` columns."""
    if span is None:
        return (today.year,)
    first, last = span
    last = max(first, min(last, today.year))
    first = max(first, last - DEFAULT_YEARS_SHOWN + 1)
    return tuple(range(first, last + 1))


def _choice_rows(values_by_key, choices, width):
    """Rows for every choice, in the enum's order, with zeros, then any unexpected value."""
    rows = [Row(value, label, values_by_key.pop(value, (0,) * width)) for value, label in choices]
    rows += [Row(key, NOT_RECORDED if not key else str(key), values) for key, values in values_by_key.items()]
    return rows


def _total(rows, width, label="Total"):
    return Row(None, label, tuple(sum(row.values[i] for row in rows) for i in range(width)))


def active_by_year(queryset, years, by="geography"):
    """Partnerships in force in each year, one row per value of ``by`` (seed 000's Table 1).

    One query: a conditional count per year, grouped by ``by``.
    """
    years = tuple(years)
    counts = {f"y{year}": Count("pk", filter=in_force_during(year)) for year in years}
    grouped = joined(queryset).order_by().values(by).annotate(**counts)
    values_by_key = {item[by]: tuple(item[f"y{year}"] for year in years) for item in grouped}
    choices = queryset.model._meta.get_field(by).choices
    rows = _choice_rows(values_by_key, choices, len(years))
    return Figures(years, tuple(rows), _total(rows, len(years)))


def active_by_geography(queryset, years):
    return active_by_year(queryset, years, by="geography")


def counts_in_force(queryset, by):
    """Partnerships in force now, counted by a classification (level, basis, council role)."""
    grouped = current(queryset).order_by().values(by).annotate(n=Count("pk"))
    values_by_key = {item[by]: (item["n"],) for item in grouped}
    rows = _choice_rows(values_by_key, queryset.model._meta.get_field(by).choices, 1)
    return Figures(("Partnerships",), tuple(rows), _total(rows, 1))


def _service_area_rows(grouped, values):
    rows = [Row(item["service_area"], item["service_area__name"] or NO_SERVICE_AREA, values(item)) for item in grouped]
    # Named areas alphabetically; entries with no service area last.
    rows.sort(key=lambda row: (row.key is None, row.label.lower()))
    return rows


def counts_by_service_area(queryset):
    grouped = current(queryset).order_by().values("service_area", "service_area__name").annotate(n=Count("pk"))
    rows = _service_area_rows(grouped, lambda item: (item["n"],))
    return Figures(("Partnerships",), tuple(rows), _total(rows, 1))


CLASSIFICATIONS = {
    "level": ("Level", Level),
    "basis": ("Basis", Basis),
    "council_role": ("Council's role", CouncilRole),
}


def classification_counts(queryset):
    """Report (b): in-force partnerships by level, basis, council role and service area (four queries)."""
    figures = {name: counts_in_force(queryset, name) for name in CLASSIFICATIONS}
    figures["service_area"] = counts_by_service_area(queryset)
    return figures


@dataclass(frozen=True)
class MoneyFigures:
    """Report (c): what the council put in, and what came in, per year and per service area."""

    years: tuple
    by_year: Figures  # rows: years; columns: contribution, in kind, external
    by_service_area: Figures  # rows: service areas; columns: the same, summed over the years

    @property
    def contribution_by_year(self):
        return [(row.label, row.values[0]) for row in self.by_year.rows]


def money_by_year(queryset, years):
    """Each partnership's annual amounts, counted in every year it was in force.

    So an entry with £5,000 a year in force 2004–2006 adds £5,000 to each of those
    years and £15,000 to its service area's total over the range. One query: a
    conditional sum per year and per amount, grouped by service area.
    """
    years = tuple(years)
    sums = {
        f"{name}_{year}": Sum(field, filter=in_force_during(year), default=Decimal("0"))
        for year in years
        for name, (field, _label) in MONEY_FIELDS.items()
    }
    grouped = list(joined(queryset).order_by().values("service_area", "service_area__name").annotate(**sums))
    columns = tuple(label for _field, label in MONEY_FIELDS.values())

    def total(items, name, years):
        # Quantised so that every database gives pence (SQLite drops trailing zeros).
        return sum((item[f"{name}_{year}"] for item in items for year in years), Decimal("0")).quantize(PENNY)

    year_rows = [Row(year, str(year), tuple(total(grouped, name, [year]) for name in MONEY_FIELDS)) for year in years]
    area_rows = _service_area_rows(grouped, lambda item: tuple(total([item], name, years) for name in MONEY_FIELDS))
    return MoneyFigures(
        years,
        Figures(columns, tuple(year_rows), _total(year_rows, len(columns))),
        Figures(columns, tuple(area_rows), _total(area_rows, len(columns))),
    )


def significant_partnerships(queryset, threshold):
    """Entries above the threshold that the council is in or proposing to join, largest first."""
    return unfinished(queryset).significant(threshold).with_people().order_by("-annual_contribution", "name", "pk")


def significant_summary(queryset, threshold):
    summary = (
        unfinished(queryset)
        .significant(threshold)
        .aggregate(count=Count("pk"), contribution=Sum("annual_contribution", default=Decimal("0")))
    )
    return {**summary, "contribution": summary["contribution"].quantize(PENNY)}


def governance_gaps(queryset):
    """One row per unfinished entry with at least one gap, each gap flagged (see ``GOVERNANCE_GAPS``)."""
    return unfinished(queryset).missing_governance_documents().with_people().order_by("reference", "pk")


def gap_counts(queryset):
    """How many unfinished entries have each gap, and how many have any (one query)."""
    # The conditions go straight into the aggregate: counting over annotate_governance_gaps()
    # makes Django wrap it in a subquery that drops the per-gap columns the filters name.
    conditions = governance_gap_expressions()
    counts = {name: Count("pk", filter=Q(condition)) for name, condition in conditions.items()}
    counts["any_gap"] = Count("pk", filter=reduce(operator.or_, (Q(c) for c in conditions.values())))
    counts["entries"] = Count("pk")
    return unfinished(queryset).aggregate(**counts)
