"""What checking a register spreadsheet found: each row's planned action, its problems and warnings.

A row that would add an entry the register already has (``duplicates``) is planned as
``DUPLICATE`` and left out, unless the register manager ticked it to import anyway.
"""

from dataclasses import dataclass, field

from partnerships.backfill.services import BACKFILL_STATUSES
from partnerships.models import Partnership, Status

from .saving import CREATE, DUPLICATE, UNCHANGED, UPDATE


@dataclass
class Problem:
    row: int | None
    column: str
    value: str
    problem: str
    quote_value: bool = True

    @property
    def shown_value(self):
        return self.value if len(self.value) <= 80 else self.value[:79] + "…"

    def __str__(self):
        parts = (f"row {self.row}" if self.row else "", f'column "{self.column}"' if self.column else "")
        where = ", ".join(part for part in parts if part)
        body = f'"{self.shown_value}" {self.problem}' if self.quote_value and self.value else self.problem
        return f"{where}: {body}" if where else body

    def as_dict(self):
        return {"row": self.row, "column": self.column, "value": self.shown_value, "problem": self.problem}


@dataclass
class PlannedRow:
    row: int
    action: str
    name: str
    reference: str = ""
    changes: list = field(default_factory=list)
    live: bool = False
    entry: Partnership | None = None
    duplicate_of: str = ""  # the reference of the entry a DUPLICATE row repeats
    status: str = ""

    @property
    def in_force(self):
        """The row says the council is (or was) already in the partnership: only a back-fill puts it on the register."""
        return self.status in BACKFILL_STATUSES

    def as_dict(self):
        return {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "reference": self.reference,
            "changes": self.changes,
            "live": self.live,
            "duplicate_of": self.duplicate_of,
            "status": Status(self.status).label if self.status else "",
            "in_force": self.in_force,
        }


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unknown_partners: list = field(default_factory=list)
    new_partners: dict = field(default_factory=dict)  # name_key → unsaved PartnerOrganisation
    file_format: str = ""
    encoding: str = ""
    row_count: int = 0
    headings: list | None = None  # the reader's heading report, for the column-mapping step

    @property
    def is_valid(self):
        return not self.problems

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED)}

    def summary(self, row_limit=500, problem_limit=1000):
        """What the preview and the progress page show, as plain data (it goes through the cache)."""
        changing = [row for row in self.rows if row.action in (CREATE, UPDATE)]
        duplicates = [row for row in self.rows if row.action == DUPLICATE]
        return {
            "valid": self.is_valid,
            "counts": self.counts,
            "row_count": self.row_count,
            "file_format": self.file_format,
            "encoding": self.encoding,
            "warnings": self.warnings[:problem_limit],
            "warning_count": len(self.warnings),
            "problems": [problem.as_dict() for problem in self.problems[:problem_limit]],
            "problem_count": len(self.problems),
            "refused_rows": len({problem.row for problem in self.problems if problem.row}),
            "duplicates": [row.as_dict() for row in duplicates[:problem_limit]],
            "duplicate_count": len(duplicates),
            "in_force": sum(1 for row in changing if row.in_force),
            "unknown_partners": self.unknown_partners,
            "new_partners": sorted(org.name for org in self.new_partners.values()),
            "rows": [row.as_dict() for row in changing[:row_limit]],
            "more_rows": max(0, len(changing) - row_limit),
        }
