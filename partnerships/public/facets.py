"""What the register's filter panel offers from the database, and the summary of the results, in one query.

The service areas, priorities and areas covered offered as filters are those some
public entry uses; the summary above the results groups the entries the visitor's
filters select by service area (``summary``). Both are read as one UNION ALL, each
row tagged with what it is, so the index costs the same one query for both whatever
the register's size.

Only the summary's half of the UNION depends on the visitor's filters. The options'
half is the same statement on every request, so it is compiled to SQL once per
process (``_options_sql``) rather than rebuilt from querysets each time: building
and compiling it cost about as much CPU as the database spends answering it.
"""

from functools import cache

from django.db import connections
from django.db.models import CharField, DecimalField, IntegerField, OuterRef, Subquery, Value

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
MONEY = DecimalField(max_digits=12, decimal_places=2)


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


@cache
def _options_sql(alias):
    """The options' half of the UNION as (SQL, params), in the columns of the summary's rows."""
    padding = {"count": _nothing(IntegerField()), "contribution": _nothing(MONEY), "in_kind_value": _nothing(MONEY)}
    first, *others = (_used_publicly(name, **padding) for name in STORED)
    return first.union(*others, all=True).query.get_compiler(alias).as_sql()


def options_and_summary(entries):
    """``stored_options()`` and the summary of ``entries`` (the filtered public entries), in one query."""
    figures = (
        grouped_figures(entries)
        .annotate(facet=Value(SUMMARY, output_field=CharField()), label=_nothing(CharField()))
        .values_list("facet", "service_area_id", "label", "count", "contribution", "in_kind_value")
    )
    summary_sql, summary_params = figures.query.get_compiler(entries.db).as_sql()
    options_sql, options_params = _options_sql(entries.db)
    with connections[entries.db].cursor() as cursor:
        cursor.execute(f"{summary_sql} UNION ALL {options_sql}", (*summary_params, *options_params))
        rows = cursor.fetchall()
    options = _options(row[:3] for row in rows if row[0] != SUMMARY)
    names = {int(pk): label for pk, label in options["service_area"]}
    summary = register_summary(((row[1], *row[3:]) for row in rows if row[0] == SUMMARY), names)
    return options, summary
