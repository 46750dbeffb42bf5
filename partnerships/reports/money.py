"""(c) What the council puts into partnerships each year and per service area, and what they attract."""

from dataclasses import replace
from decimal import Decimal

from partnerships.templatetags.register_tags import money

from . import charts, queries
from .base import (
    FiguresReportView,
    FigureTable,
    YearRangeMixin,
)


class MoneyReportView(YearRangeMixin, FiguresReportView):
    """(c) What the council puts into partnerships each year and per service area, and what they attract."""

    url_name = "money"
    menu_label = "Money in partnerships"
    menu_icon = "form"
    menu_order = 2020
    export_filename = "partnership-money"
    intro = (
        "Each partnership's annual amounts, counted in every year it was in force: the council's financial "
        "contribution, the estimated value of officer time given in kind, and the external funding attracted."
    )

    def get_tables(self, partnerships):
        figures = queries.money_by_year(partnerships, self.years)
        caption = f"Council contribution per year, {self.period}"
        chart = charts.bar_chart(
            chart_id="chart-money",
            title=caption,
            description="One bar per year. The table that follows gives the same figures, with in-kind and external.",
            categories=self.years,
            series=[charts.Series("Council contribution", figures.by_year.column(0))],
            format_value=money_axis,
        )
        headings = figures.by_year.columns
        per_year = replace(figures.by_year, total=replace(figures.by_year.total, label=f"Total, {self.period}"))
        by_year = FigureTable(
            "by-year", f"Per year, {self.period}", "Year", headings, per_year, format_value=money, chart=chart
        )
        by_area = FigureTable(
            "by-service-area",
            f"Per service area, summed over {self.period}",
            "Service area",
            headings,
            figures.by_service_area,
            format_value=money,
        )
        return [by_year, by_area]


def money_axis(value):
    """Axis labels: £1.5m, £250k, £0."""
    value = Decimal(value)
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.4g}m"
    if value >= 1_000:
        return f"£{value / 1_000:.4g}k"
    return f"£{value:.0f}"
