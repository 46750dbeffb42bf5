"""Read an uploaded register spreadsheet (CSV or XLSX) into rows of raw cells.

Councils' spreadsheets arrive saved by every version of Excel: CSV in UTF-8 with
or without a byte-order mark, in Windows-1252 (a £ is the single byte 0xA3), or
"Unicode text" in UTF-16; or an XLSX with real date and number cells. The reader
works out which, refuses anything else with a message a register manager can act
on, and leaves the meaning of each cell to ``parsing`` and ``service``.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from .columns import COLUMNS_BY_FIELD, REQUIRED_COLUMNS, column_for_heading, normalise_heading
from .limits import MAX_CELL_CHARACTERS, FileProblem, Limits
from .parsing import cell_text, is_blank
from .workbook import Workbook

PROGRESS_EVERY = 500

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
CONTROL_CHARACTERS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    headings: list = field(default_factory=list)  # see ``_headings``

    @property
    def unknown_headings(self):
        return [heading for heading in self.headings if heading["field"] is None]

    @property
    def fields(self):
        return {column.field for column in self.columns}


def size_problem(size):
    return Limits.from_settings().size_problem(size)


def read_table(data, filename="", progress=None, mapping=None):
    """Raw bytes of a CSV or XLSX file → ``Table``; raises ``FileProblem``.

    ``progress(stage, done, total)`` hears how many rows have been read (the total
    is not known until the end, so it is 0). ``mapping``: the council's own headings,
    normalised, → the column field they hold ("" for a column left out).
    """
    limits = Limits.from_settings()
    if not data:
        raise FileProblem("The file is empty.")
    problem = limits.size_problem(len(data))
    if problem:
        raise FileProblem(problem)
    name = filename.lower()
    if data.startswith(ZIP):
        workbook = Workbook(data, limits)
        return _table(workbook.rows(), "XLSX", limits, progress, warnings=workbook.warnings, mapping=mapping)
    if name.endswith(".xlsx"):
        raise FileProblem(f"The file is named .xlsx but is not an Excel workbook: {SAVE_AS}.")
    if data.startswith(OLD_EXCEL):
        raise FileProblem(
            f"The file is an old-style Excel workbook (.xls) or a password-protected one: {SAVE_AS}, "
            "without a password."
        )
    for signature, kind in NOT_SPREADSHEETS.items():
        if data.startswith(signature):
            raise FileProblem(f"The file is {kind}, not a spreadsheet: {SAVE_AS}.")
    codec, encoding = text_encoding(data)
    return _table(_csv_rows(data, codec, limits), "CSV", limits, progress, encoding=encoding, mapping=mapping)


def text_encoding(data):
    """Bytes → (codec, name): UTF-16 by its BOM, else UTF-8 (BOM or not), else Windows-1252.

    Checked in chunks, so that a 10 MB file is never held as text whole (one
    character beyond Latin-1 makes Python store every character in four bytes).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _decodes(data, "utf-16"):
            raise FileProblem(f"The file says it is UTF-16 text but is not: {SAVE_AS}.")
        return "utf-16", "UTF-16"
    if b"\x00" in data:
        raise FileProblem(f"The file is not text (it contains binary data): {SAVE_AS}.")
    # Control characters are the same bytes in UTF-8 and Windows-1252, and never part of a UTF-8 sequence.
    if not CONTROL_CHARACTERS.search(data):
        for codec, name in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
            if _decodes(data, codec):
                return codec, name
    raise FileProblem(
        "The file's characters could not be read as UTF-8 or Windows-1252 text; it may not be a spreadsheet: "
        f"{SAVE_AS}."
    )


def _decodes(data, codec, chunk=1024 * 1024):
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(data[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _csv_rows(data, codec, limits):
    """Yield ``(row number, cells)`` of a CSV; a multi-line cell is one row, as Excel shows it."""
    lines = _CountedLines(data, codec, limit=limits.max_columns * MAX_CELL_CHARACTERS)
    first_line = lines.first
    delimiter = "," if "," in first_line else "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    while True:
        number += 1
        lines.characters = 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileProblem(f"Row {reader.line_num} of the file could not be read as CSV ({error}).") from None
        except _RowTooLong:
            raise FileProblem(
                f"Row {number} holds more text than {limits.max_columns} full spreadsheet cells can. "
                "Is a quotation mark missing its pair?"
            ) from None
        for index in range(len(cells) - 1, limits.max_columns - 1, -1):
            if not is_blank(cells[index]):
                raise limits.too_many_columns(number, _letter(index))
        yield number, cells[: limits.max_columns]


class MissingColumns(FileProblem):
    """Required columns the heading row lacks; carries the headings, for the column-mapping step."""

    def __init__(self, *messages, headings=()):
        super().__init__(*messages)
        self.headings = list(headings)


class _RowTooLong(Exception):
    pass


class _CountedLines:
    """The file's lines for ``csv.reader``, decoded as read, refusing a row longer than ``limit``.

    The csv module builds a whole row before handing it over, and a row (which may
    span lines) of a million commas would be a list of a million cells. The caller
    resets ``characters`` before each row.
    """

    def __init__(self, data, codec, limit):
        # newline="": every line ending is recognised (a Mac's lone \r too) and left for the csv module.
        self.lines = io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline="")
        self.first = self.lines.readline(limit + 1)
        self.pending = [self.first] if self.first else []
        self.limit = limit
        self.characters = 0

    def __iter__(self):
        return self

    def __next__(self):
        line = self.pending.pop() if self.pending else self.lines.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.characters += len(line)
        if self.characters > self.limit:
            raise _RowTooLong
        return line


def _table(numbered_rows, file_format, limits, progress=None, encoding="", warnings=(), mapping=None):
    progress = progress or _no_progress
    columns, positions, rows, headings = None, [], [], []
    warnings = list(warnings)
    for count, (number, cells) in enumerate(numbered_rows, start=1):
        if count % PROGRESS_EVERY == 0:
            limits.check_time()
            progress("reading", len(rows), 0)
        if all(is_blank(cell) for cell in cells):
            continue
        if columns is None:
            columns, positions, heading_warnings, headings = _headings(cells, mapping or {})
            warnings.extend(heading_warnings)
            continue
        if len(rows) >= limits.max_rows:
            raise limits.too_many_rows()
        values = {column.field: (cells[index] if index < len(cells) else None) for index, column in positions}
        extra = [cell for cell in cells[len(columns) :] if not is_blank(cell)]
        rows.append(SourceRow(number=number, cells=values, extra_cells=extra))
    limits.check_time()
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
        headings=headings,
    )


def _no_progress(stage, done, total):
    pass


def _headings(cells, mapping):
    """The heading row → (all headings, [(position, Column)], warnings, heading report); raises FileProblem.

    The report lists each heading with the field it was matched to: ``field`` is None
    for a heading neither the import nor a remembered mapping knows, "" for one left out.
    """
    headings = [cell_text(cell).strip() for cell in cells]
    positions, warnings, seen, report = [], [], {}, []
    for index, heading in enumerate(headings):
        if not heading:
            warnings.append(f"Column {_letter(index)} has no heading; it was ignored.")
            continue
        column, how = _column(heading, mapping)
        report.append(
            {"letter": _letter(index), "heading": heading[:200], "key": normalise_heading(heading)[:255], "how": how}
        )
        report[-1]["field"] = column.field if column else ("" if how == "left out" else None)
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
    missing = [column for column in REQUIRED_COLUMNS if column.field not in seen]
    if not positions:
        raise MissingColumns(
            'The first row should hold the column headings (such as "Name" and "Level"), but none of its '
            "cells is a heading the import knows. Start from the template.",
            headings=report,
        )
    if missing:
        raise MissingColumns(
            *(f'The file has no "{column.header}" column, which is required.' for column in missing), headings=report
        )
    return headings, positions, warnings, report


def _column(heading, mapping):
    """The Column a heading holds, and how it was known: by the import, by a remembered mapping, or not."""
    key = normalise_heading(heading)
    if key in mapping:
        field_name = mapping[key]
        return (COLUMNS_BY_FIELD.get(field_name), "remembered") if field_name else (None, "left out")
    column = column_for_heading(heading)
    return column, ("known" if column else "unknown")


def _letter(index):
    """0 → A, 25 → Z, 26 → AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
