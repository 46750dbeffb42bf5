"""Read an uploaded register spreadsheet (CSV or XLSX) into rows of raw cells.

Councils' spreadsheets arrive saved by every version of Excel: CSV in UTF-8 with
or without a byte-order mark, in Windows-1252 (a £ is the single byte 0xA3), or
"Unicode text" in UTF-16; or an XLSX with real date and number cells. The reader
works out which, refuses anything else with a message a register manager can act
on, and leaves the meaning of each cell to ``parsing`` and ``service``.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings

from .columns import REQUIRED_COLUMNS, column_for_heading
from .parsing import cell_text, is_blank

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000

SAVE_AS = "save it from your spreadsheet program as CSV (or CSV UTF-8) or as an Excel workbook (.xlsx)"
# Byte signatures of files people pick by mistake.
NOT_SPREADSHEETS = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF document",
}
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``messages`` says why (one or more reasons)."""

    def __init__(self, *messages):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass
class SourceRow:
    number: int  # as the spreadsheet numbers it: the heading row is row 1
    cells: dict  # column field → raw cell value
    extra_cells: list = field(default_factory=list)


@dataclass
class Table:
    columns: list  # the recognised Columns, in the file's order
    rows: list
    warnings: list
    file_format: str
    encoding: str = ""

    @property
    def fields(self):
        return {column.field for column in self.columns}


def max_bytes():
    return getattr(settings, "PARTNERSHIP_IMPORT_MAX_BYTES", MAX_BYTES)


def max_rows():
    return getattr(settings, "PARTNERSHIP_IMPORT_MAX_ROWS", MAX_ROWS)


def size_problem(size):
    if size > max_bytes():
        return (
            f"The file is {size / 1024 / 1024:.1f} MB; the most the import takes is "
            f"{max_bytes() / 1024 / 1024:.0f} MB. Split it into smaller files."
        )
    return None


def read_table(data, filename=""):
    """Raw bytes of a CSV or XLSX file → ``Table``; raises ``FileProblem``."""
    if not data:
        raise FileProblem("The file is empty.")
    problem = size_problem(len(data))
    if problem:
        raise FileProblem(problem)
    name = filename.lower()
    if data.startswith(ZIP):
        return _table(_xlsx_rows(data), "XLSX")
    if name.endswith(".xlsx"):
        raise FileProblem(f"The file is named .xlsx but is not an Excel workbook: {SAVE_AS}.")
    if data.startswith(OLD_EXCEL):
        raise FileProblem(f"The file is an old-style Excel workbook (.xls): {SAVE_AS}.")
    for signature, kind in NOT_SPREADSHEETS.items():
        if data.startswith(signature):
            raise FileProblem(f"The file is {kind}, not a spreadsheet: {SAVE_AS}.")
    text, encoding = decode(data)
    return _table(_csv_rows(text), "CSV", encoding)


def decode(data):
    """Bytes → (text, encoding name): UTF-16 by its BOM, else UTF-8 (BOM or not), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileProblem(f"The file says it is UTF-16 text but is not: {SAVE_AS}.") from None
    if b"\x00" in data:
        raise FileProblem(f"The file is not text (it contains binary data): {SAVE_AS}.")
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL_CHARACTERS.search(text):
            break
        return text, label
    raise FileProblem(
        "The file's characters could not be read as UTF-8 or Windows-1252 text; it may not be a spreadsheet: "
        f"{SAVE_AS}."
    )


def _csv_rows(text):
    first_line = text.split("\n", 1)[0]
    delimiter = "," if "," in first_line else "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise FileProblem(f"Row {reader.line_num} of the file could not be read as CSV ({error}).") from None


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a file that is not a workbook
        raise FileProblem(f"The file could not be read as an Excel workbook: {SAVE_AS}.") from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise FileProblem("The workbook has no sheets.")
        named = [sheet for sheet in sheets if sheet.title.strip().lower() == "register"]
        sheet = named[0] if named else sheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _table(raw_rows, file_format, encoding=""):
    limit = max_rows()
    columns, positions, warnings, rows = None, [], [], []
    for number, cells in enumerate(raw_rows, start=1):
        if all(is_blank(cell) for cell in cells):
            continue
        if columns is None:
            columns, positions, warnings = _headings(cells)
            continue
        if len(rows) >= limit:
            raise FileProblem(
                f"The file has more than {limit:,} rows of entries; the import takes at most {limit:,} "
                "at a time. Split it into smaller files."
            )
        values = {column.field: (cells[index] if index < len(cells) else None) for index, column in positions}
        extra = [cell for cell in cells[len(columns) :] if not is_blank(cell)]
        rows.append(SourceRow(number=number, cells=values, extra_cells=extra))
    if columns is None:
        raise FileProblem("The file is empty.")
    if not rows:
        raise FileProblem("The file has a heading row but no entries under it.")
    return Table(
        columns=[column for _, column in positions],
        rows=rows,
        warnings=warnings,
        file_format=file_format,
        encoding=encoding,
    )


def _headings(cells):
    """The heading row → (all headings, [(position, Column)], warnings); raises FileProblem."""
    headings = [cell_text(cell).strip() for cell in cells]
    positions, warnings, seen = [], [], {}
    for index, heading in enumerate(headings):
        if not heading:
            warnings.append(f"Column {_letter(index)} has no heading; it was ignored.")
            continue
        column = column_for_heading(heading)
        if column is None:
            warnings.append(f'Column "{heading}" is not one the import knows; it was ignored.')
            continue
        if column.field in seen:
            raise FileProblem(
                f'Columns {_letter(seen[column.field])} and {_letter(index)} are both "{column.header}"; '
                "keep one of them."
            )
        seen[column.field] = index
        positions.append((index, column))
    if not positions:
        raise FileProblem(
            'The first row should hold the column headings (such as "Name" and "Level"), but none of its '
            "cells is a heading the import knows. Start from the template."
        )
    missing = [column for column in REQUIRED_COLUMNS if column.field not in seen]
    if missing:
        raise FileProblem(*(f'The file has no "{column.header}" column, which is required.' for column in missing))
    return headings, positions, warnings


def _letter(index):
    """0 → A, 25 → Z, 26 → AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
