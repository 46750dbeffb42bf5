"""(b) The partnerships in force now, counted by each classification and by service area."""

from . import queries
from .base import (
    FiguresReportView,
    FigureTable,
)


class ByTypeReportView(FiguresReportView):
    """(b) The partnerships in force now, counted by each classification and by service area."""

    url_name = "by_type"
    menu_label = "Partnerships by type"
    menu_icon = "list-ul"
    menu_order = 2010
    export_filename = "partnerships-by-type"
    intro = "Partnerships the council is in now (active, under review or exiting), counted four ways."

    def get_tables(self, partnerships):
        figures = queries.classification_counts(partnerships)
        headings = ("Partnerships in force",)
        tables = [
            FigureTable(name.replace("_", "-"), f"By {label.lower()}", label, headings, figures[name])
            for name, (label, _choices) in queries.CLASSIFICATIONS.items()
        ]
        tables.append(FigureTable("service-area", "By service area", "Service area", headings, figures["service_area"]))
        return tables
