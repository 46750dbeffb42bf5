"""Spreadsheet safety shared by every CSV and XLSX the portal writes.

Admin exports, reports, the decision log, the import template and the open-data
files all pass their text cells through ``neutralise``.
"""

from decimal import Decimal

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet will show, never evaluate.

    A leading apostrophe is the convention Excel and LibreOffice both honour.
    """
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class NeutralisedExportMixin:
    """For views with Wagtail's ``SpreadsheetExportMixin`` (snippet listings, reports).

    Applied after every other preprocessing, so a related object, a list or a custom
    column that becomes text is covered too, not only ``str`` values. Numbers stay
    numbers, negative ones included. Wagtail already writes XLSX text cells as strings,
    never as formulas.
    """

    def preprocess_field_value(self, field, value, export_format):
        processed = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(processed, str)
            and not isinstance(value, (int, float, Decimal))
        ):
            return neutralise(processed)
        return processed
