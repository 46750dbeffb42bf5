"""How much of a spreadsheet the import will read, and the messages that say so.

A file's size says little about what reading it costs: an XLSX is a zip of XML that
can unpack to a thousand times its size, and it may declare a sheet of a million
rows it does not hold. So the import trusts nothing the file declares and stops,
with a message naming the limit, as soon as the rows, columns, unpacked bytes or
time it has actually read pass the settings below (``PARTNERSHIP_IMPORT_*``).
"""

import time
from dataclasses import dataclass, field

from django.conf import settings

# Excel's own cell limit: no spreadsheet program writes a longer cell.
MAX_CELL_CHARACTERS = 32_767


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``messages`` says why (one or more reasons)."""

    def __init__(self, *messages):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def megabytes(size):
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


@dataclass
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked_bytes: int
    max_seconds: float
    deadline: float = field(default=0.0)

    @classmethod
    def from_settings(cls):
        limits = cls(
            max_bytes=settings.PARTNERSHIP_IMPORT_MAX_BYTES,
            max_rows=settings.PARTNERSHIP_IMPORT_MAX_ROWS,
            max_columns=settings.PARTNERSHIP_IMPORT_MAX_COLUMNS,
            max_unpacked_bytes=settings.PARTNERSHIP_IMPORT_MAX_UNPACKED_BYTES,
            max_seconds=settings.PARTNERSHIP_IMPORT_MAX_SECONDS,
        )
        limits.deadline = time.monotonic() + limits.max_seconds
        return limits

    @property
    def max_texts(self):
        """Distinct texts a workbook may share between its cells: one per cell of the largest file taken."""
        return (self.max_rows + 1) * self.max_columns

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise FileProblem(
                f"Reading the file took longer than {self.max_seconds:g} seconds, the most the import allows. "
                "Split it into smaller files, or save it as CSV, and upload it again."
            )

    def size_problem(self, size):
        if size > self.max_bytes:
            return (
                f"The file is {size / 1024 / 1024:.1f} MB; the most the import takes is "
                f"{megabytes(self.max_bytes)}. Split it into smaller files."
            )
        return None

    def too_many_rows(self):
        return FileProblem(
            f"The file has more than {self.max_rows:,} rows of entries; the import takes at most "
            f"{self.max_rows:,} at a time. Split it into smaller files."
        )

    def too_many_columns(self, row_number, column_letter):
        return FileProblem(
            f"Row {row_number} has a value in column {column_letter}; the import reads at most "
            f"{self.max_columns} columns. Delete the columns to the right of the register's and upload it again."
        )

    def too_much_unpacked(self, size):
        return FileProblem(
            f"The workbook unpacks to {size / 1024 / 1024:.1f} MB or more; the import takes workbooks of at most "
            f"{megabytes(self.max_unpacked_bytes)} unpacked. Copy the register's rows into a new workbook, "
            "or save it as CSV, and upload that."
        )


def too_long_cell(where):
    return FileProblem(
        f"{where} holds more than {MAX_CELL_CHARACTERS:,} characters, the most a spreadsheet cell can hold. "
        "Is a quotation mark missing its pair?"
    )
