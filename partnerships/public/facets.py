"""What the register's filter panel offers from the database, and the summary of the results, in one query.

The service areas, priorities and areas covered offered as filters are those some
public entry uses; the summary above the results groups the entries the visitor's
filters select by service area (``summary``). Both are read as one UNION ALL, each
row tagged with what it is, so the index costs the same one query for both whatever
the register's size.
"""

from django.db.models import BigIntegerField, CharField, DecimalField, IntegerField, OuterRef, Subquery, Value

from ..models import Area, CouncilPriority, ServiceArea
from .fields import public_queryset
from .summary import grouped_figures, register_summary

SUMMARY = "summary"
# Filter name → (model listed, lookup from an entry to it).
STORED = {
    "service_area": (ServiceArea, "service_area_id"),
    "priority": (CouncilPriority, "council_priorities"),
    "area": (Area, "areas"),
}


def _nothing(field):
    return Value(None, output_field=field)


def _used_publicly(name, **padding):
    """The rows of a stored list that some public entry uses, as (name, pk, label, *padding)."""
    model, lookup = STORED[name]
    # A correlated LIMIT 1 subquery rather than EXISTS: PostgreSQL plans EXISTS here as
    # a hash join over every public entry, while this stops at the first one it finds.
    first_user = public_queryset().order_by().filter(**{lookup: OuterRef("pk")}).values("pk")[:1]
    return (
        model.objects.annotate(first_user=Subquery(first_user), facet=Value(name, output_field=CharField()), **padding)
        .filter(first_user__isnull=False)
        .order_by()
        .values_list("facet", "pk", "name", *padding)
    )


def _options(rows):
    options = {name: [] for name in STORED}
    for name, pk, label in sorted(rows, key=lambda row: row[2].casefold()):
        options[name].append((str(pk), label))
    return options


def stored_options():
    """The service areas, priorities and areas covered of public entries, as ``{name: [(id, label)]}``, in one query."""
    first, *others = (_used_publicly(name) for name in STORED)
    return _options(first.union(*others, all=True))


def options_and_summary(entries):
    """``stored_options()`` and the summary of ``entries`` (the filtered public entries), in one query."""
    money = DecimalField(max_digits=12, decimal_places=2)
    figures = grouped_figures(entries, facet=Value(SUMMARY, output_field=CharField()), key=_nothing(BigIntegerField()))
    padding = {"count": _nothing(IntegerField()), "contribution": _nothing(money), "in_kind_value": _nothing(money)}
    offered = [_used_publicly(name, **padding) for name in STORED]
    rows = list(figures.union(*offered, all=True))
    summary = register_summary(row[2:] for row in rows if row[0] == SUMMARY)
    return _options(row[:3] for row in rows if row[0] != SUMMARY), summary
