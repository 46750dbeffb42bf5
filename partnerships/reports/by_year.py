"""(a) Seed 000's Table 1: partnerships in force each year, by geography."""

from django.contrib.humanize.templatetags.humanize import intcomma

from partnerships.models import Geography

from . import charts, queries
from .base import (
    FiguresReportView,
    FigureTable,
    YearRangeMixin,
)

# The commonest levels (district, county) get the most distinct colours.
GEOGRAPHY_COLOURS = {
    Geography.NATIONAL: "#505a5f",
    Geography.REGIONAL: "#4c2c92",
    Geography.COUNTY: "#00703c",
    Geography.SUB_REGIONAL: "#912b88",
    Geography.DISTRICT: "#1d70b8",
    Geography.SUB_DISTRICT: "#d4351c",
}


class ActiveByYearReportView(YearRangeMixin, FiguresReportView):
    """(a) Seed 000's Table 1: how many partnerships the council was in each year, by geography."""

    url_name = "by_year"
    menu_label = "Partnerships by year"
    menu_icon = "date"
    menu_order = 2000
    export_filename = "partnerships-by-year"
    intro = (
        "Partnerships the council was in at any time in each year, by the area they cover. "
        "Closed partnerships count for the years they ran; proposals, pending and rejected entries never count."
    )

    def get_tables(self, partnerships):
        figures = queries.active_by_geography(partnerships, self.years)
        caption = f"Partnerships in force each year by geography, {self.period}"
        chart = charts.bar_chart(
            chart_id="chart-by-year",
            title=caption,
            description=(
                "Stacked bars, one per year, each divided by geography level. "
                "The table that follows gives the same figures."
            ),
            categories=self.years,
            series=[charts.Series(row.label, row.values, GEOGRAPHY_COLOURS.get(row.key, "")) for row in figures.rows],
            format_value=lambda v: intcomma(int(v)),
        )
        headings = tuple(str(year) for year in self.years)
        return [FigureTable("by-geography", caption, "Geography", headings, figures, chart=chart)]
