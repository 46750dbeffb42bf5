"""Spreadsheets the import hands out: the blank template and the register in import format.

Both are written from ``columns.COLUMNS``, so what the template promises, what the
export writes and what the import reads cannot drift apart. Exporting and then
importing the file unchanged changes nothing.

Every text cell passes through ``partnerships.spreadsheet.neutralise`` (a leading
apostrophe before ``= + - @``, tab or CR), in the CSV and the XLSX alike, so no cell
can run as a formula in whatever program opens the file; the import takes the
apostrophe off again.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from partnerships.models import Partnership, PartnershipPartner
from partnerships.spreadsheet import neutralise

from . import parsing
from .columns import COLUMNS

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = '"£"#,##0.00'
COLUMNS_SHEET_HEADINGS = ["Column", "Required?", "Format", "Example", "What it holds", "If left empty"]


# --- Cell values -------------------------------------------------------------------------------


def _display(entry, name, choices):
    value = getattr(entry, name)
    return choices(value).label if value else ""


class ExportContext:
    """People, partner bodies and priorities by id, so entries read from revisions cost no queries."""

    def __init__(self):
        self.users = {user.pk: user for user in get_user_model().objects.all()}

    def officer(self, user_id):
        user = self.users.get(user_id)
        if user is None:
            return ""
        # An email address matches exactly one account; a name may not.
        return user.email or user.get_full_name() or user.get_username()


def cell_value(entry, column, context):
    """The typed value of one cell (dates and amounts stay dates and Decimals)."""
    kind, name = column.kind, column.field
    if kind == "choice":
        return _display(entry, name, column.choices)
    if kind == "yes_no":
        return "Yes" if getattr(entry, name) else "No"
    if kind == "organisations":
        return "; ".join(link.organisation.name for link in entry.partners.all())
    if kind == "priorities":
        return "; ".join(sorted((priority.name for priority in entry.council_priorities.all()), key=str.casefold))
    if kind == "officer":
        return context.officer(getattr(entry, f"{name}_id"))
    if kind == "service_area":
        return entry.service_area.name if entry.service_area_id else ""
    value = getattr(entry, name)
    return "" if value is None else value


def text_cell(value):
    """A typed value as it reads in a CSV: UK dates, plain amounts."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent <= -2 else format(value.normalize(), "f")
    return neutralise(value)


# --- Writers -----------------------------------------------------------------------------------


def csv_bytes(rows):
    """UTF-8 with a byte-order mark, which is how Excel knows to read £ correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([text_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets):
    """``sheets``: [(title, rows, {column index: number format})] → XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, rows, formats in sheets:
        sheet = workbook.create_sheet(title)
        for row_number, row in enumerate(rows, start=1):
            for column_number, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column_number)
                if isinstance(value, (datetime.date, Decimal, int, float)) and not isinstance(value, bool):
                    cell.value = value
                    if column_number - 1 in formats and row_number > 1:
                        cell.number_format = formats[column_number - 1]
                elif value not in (None, ""):
                    cell.value = neutralise(value)
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
                if row_number == 1:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for letter_index, heading in enumerate(rows[0] if rows else [], start=1):
            sheet.column_dimensions[_letter(letter_index)].width = min(max(len(str(heading)) + 4, 14), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(number):
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def _formats():
    formats = {}
    for index, column in enumerate(COLUMNS):
        if column.kind == "date":
            formats[index] = DATE_FORMAT
        elif column.kind == "money":
            formats[index] = MONEY_FORMAT
    return formats


# --- The template ------------------------------------------------------------------------------


def header_row():
    return [column.header for column in COLUMNS]


def example_row(typed=False):
    """The template's example entry; typed for XLSX (real dates and numbers), text for CSV."""
    row = []
    for column in COLUMNS:
        example = column.example
        if typed and example:
            if column.kind == "date":
                example = parsing.parse_date(example)
            elif column.kind == "money":
                example = parsing.parse_money(example)
        row.append(example)
    return row


def columns_rows():
    return [COLUMNS_SHEET_HEADINGS] + [
        [column.header, column.requirement, column.format, column.example, column.description, column.when_blank]
        for column in COLUMNS
    ]


def template_csv():
    return csv_bytes([header_row(), example_row()])


def columns_csv():
    return csv_bytes(columns_rows())


def template_xlsx():
    return xlsx_bytes(
        [("Register", [header_row(), example_row(typed=True)], _formats()), ("Columns", columns_rows(), {})]
    )


# --- The register in import format -------------------------------------------------------------


def entries_for_export(queryset=None):
    """Each entry as an editor would open it (its latest revision when it has unpublished changes)."""
    queryset = Partnership.objects.all() if queryset is None else queryset
    queryset = (
        queryset.select_related("service_area", "latest_revision")
        .prefetch_related(
            Prefetch("partners", queryset=PartnershipPartner.objects.select_related("organisation")),
            "council_priorities",
        )
        .order_by("reference")
    )
    for entry in queryset.iterator(chunk_size=1000):
        if entry.has_unpublished_changes and entry.latest_revision is not None:
            yield entry.with_content_json(entry.latest_revision.content)
        else:
            yield entry


def register_rows(queryset=None):
    context = ExportContext()
    yield header_row()
    for entry in entries_for_export(queryset):
        yield [cell_value(entry, column, context) for column in COLUMNS]


def register_csv(queryset=None):
    return csv_bytes(register_rows(queryset))


def register_xlsx(queryset=None):
    return xlsx_bytes([("Register", list(register_rows(queryset)), _formats()), ("Columns", columns_rows(), {})])
