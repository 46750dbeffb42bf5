"""The figures above the register's results: how many partnerships match, and the money, by service area.

Grouped by service area, over exactly the entries the visitor's search and filters
select: the totals always answer for the current filter. The register reads these
rows in the same query as its filter options (``facets``). The chart
and the table beside it are drawn from the same rows, so they cannot disagree.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from ..templatetags.register_tags import money

PENNY = Decimal("0.01")
NO_SERVICE_AREA = "No service area recorded"
# The chart's geometry (SVG user units): a label line, then its bar, for each service area.
CHART_WIDTH = 600
ROW_HEIGHT = 46
BAR_TOP = 22
BAR_HEIGHT = 16


@dataclass(frozen=True)
class AreaFigures:
    name: str
    count: int
    contribution: Decimal
    in_kind_value: Decimal


@dataclass(frozen=True)
class RegisterSummary:
    count: int
    contribution: Decimal
    in_kind_value: Decimal
    rows: tuple

    def chart(self):
        """Bars for the SVG chart: one per service area, as long as its share of the largest contribution."""
        largest = max((row.contribution for row in self.rows), default=Decimal(0))
        bars = []
        for index, row in enumerate(self.rows):
            y = index * ROW_HEIGHT
            width = float(row.contribution / largest * CHART_WIDTH) if largest else 0
            partnerships = f"{row.count} partnership{'s' if row.count != 1 else ''}"
            bars.append(
                {
                    "label": f"{row.name}: {money(row.contribution)} ({partnerships})",
                    "text_y": y + 14,
                    "bar_y": y + BAR_TOP,
                    # A sliver even for £0, so every service area listed has a mark.
                    "width": f"{max(width, 2):.1f}",
                }
            )
        return {"bars": bars, "width": CHART_WIDTH, "height": max(len(bars), 1) * ROW_HEIGHT, "bar_height": BAR_HEIGHT}


def grouped_figures(entries):
    """The count and money of ``entries`` for each service area, one row each, as a values queryset of
    ``service_area_id``, ``count``, ``contribution`` and ``in_kind_value``.

    Grouped by the id, which the covering index holds, rather than the name, which would
    join every entry to its service area: the names come with the filter options.
    """
    return (
        entries.order_by()
        .values("service_area_id")
        .annotate(count=Count("pk"), contribution=Sum("annual_contribution"), in_kind_value=Sum("in_kind_value"))
    )


def register_summary(rows, names):
    """The summary from the rows of ``grouped_figures``, with the totals over every service area.

    ``names`` maps a service area's id to its name; every service area a public entry uses is in it.
    """
    rows = [
        AreaFigures(names.get(key, NO_SERVICE_AREA), count, _money(contribution), _money(in_kind_value))
        for key, count, contribution, in_kind_value in rows
    ]
    # Largest spend first, as a reader asking "where does the money go?" reads it.
    rows.sort(key=lambda row: (-row.contribution, row.name.casefold()))
    return RegisterSummary(
        count=sum(row.count for row in rows),
        contribution=sum((row.contribution for row in rows), Decimal(0)),
        in_kind_value=sum((row.in_kind_value for row in rows), Decimal(0)),
        rows=tuple(rows),
    )


def _money(value):
    """A sum of pounds as read from the database: a Decimal from PostgreSQL, a number from SQLite; 0 for none."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(PENNY)
