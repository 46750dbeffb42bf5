"""manage.py import_register FILE [--dry-run] [--user USERNAME] [--create-partners]
                             [--approved-before-portal DATE --approved-by BODY [--minute REF]]

Imports a register spreadsheet (CSV or XLSX) all or nothing: if any row has a
problem, every problem is printed (``row 7, column "Start date": "31/02/2024" is
not a real date (use dd/mm/yyyy)``), nothing is saved and the command exits 1.
``--columns`` prints the documented columns; ``--template PATH`` writes a blank
template (.csv or .xlsx).
"""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnerships.backfill.services import Approval
from partnerships.importing import writing
from partnerships.importing.columns import COLUMNS
from partnerships.importing.reader import size_problem
from partnerships.importing.service import CREATE, DUPLICATE, UNCHANGED, UPDATE, check_file, import_file
from partnerships.models import BACKFILL_PERMISSION
from portal.management.dates import iso_date

PREVIEW_ROWS = 50


class Command(BaseCommand):
    help = "Import the partnership register from a CSV or XLSX spreadsheet, all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The spreadsheet to import (.csv or .xlsx).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change.")
        parser.add_argument(
            "--user", metavar="USERNAME", help="Username recorded on the revisions (the person importing)."
        )
        parser.add_argument(
            "--create-partners",
            action="store_true",
            help="Create partner organisations that don't exist yet (with sector 'Other') instead of refusing.",
        )
        parser.add_argument(
            "--approved-before-portal",
            metavar="YYYY-MM-DD",
            help="Record every row already in force (active, under review, exiting, closed) as approved before the "
            "portal on this date, and publish it. Needs --approved-by and a --user who may record back-fills.",
        )
        parser.add_argument("--approved-by", metavar="BODY", help='Who approved them, e.g. "Cabinet".')
        parser.add_argument("--minute", metavar="REF", default="", help="The minute reference, if any.")
        parser.add_argument("--columns", action="store_true", help="Print the documented columns and stop.")
        parser.add_argument("--template", metavar="PATH", help="Write a blank template (.csv or .xlsx) and stop.")

    def handle(self, *args, **options):
        if options["columns"]:
            return self._print_columns()
        if options["template"]:
            return self._write_template(Path(options["template"]))
        if not options["file"]:
            raise CommandError("Give the spreadsheet to import: manage.py import_register FILE")
        user = self._user(options["user"])
        if user is None and not options["dry_run"]:
            self.stdout.write("No --user given: the revisions will not name who imported them.")
        path = Path(options["file"])
        data = self._read(path)
        self._started = time.monotonic()
        backfill = self._backfill(options, user)
        kwargs = {"user": user, "create_partners": options["create_partners"], "progress": self._progress}
        if options["dry_run"]:
            plan, result = check_file(data, path.name, **kwargs), None
        else:
            plan, result = import_file(data, path.name, backfill=backfill, **kwargs)
        self._report(plan)
        if not plan.is_valid:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(plan.problems)} problem{'s' if len(plan.problems) != 1 else ''} in {path.name}; "
                "nothing was imported."
            )
        if result is None:
            self.stdout.write("Dry run: nothing was saved.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name}: {len(result.created)} created as drafts, {len(result.updated)} updated, "
                f"{result.unchanged} unchanged, in {time.monotonic() - self._started:.1f} s."
            )
        )
        if result.partners_created:
            self.stdout.write("Partner organisations created: " + "; ".join(result.partners_created))
        if backfill is not None:
            self.stdout.write(
                f"Recorded as approved before the portal ({backfill.approved_by}, {backfill.approved_on}) and "
                f"published: {len(result.backfilled)}."
            )
            for sentence in result.backfill_refused:
                self.stdout.write(self.style.WARNING(f"Not recorded: {sentence}"))

    def _backfill(self, options, user):
        """The back-fill asked for, checked as the admin form checks it; None when not asked for."""
        if not options["approved_before_portal"]:
            if options["approved_by"]:
                raise CommandError("--approved-by needs --approved-before-portal DATE.")
            return None
        if user is None or not user.has_perm(BACKFILL_PERMISSION):
            raise CommandError("Recording approval before the portal needs a --user who may record back-fills.")
        approved_on = iso_date(options["approved_before_portal"], "--approved-before-portal")
        if approved_on > timezone.localdate():
            raise CommandError("--approved-before-portal must be today or in the past.")
        approved_by = " ".join((options["approved_by"] or "").split())
        if not approved_by:
            raise CommandError('Say who approved them: --approved-by "Cabinet".')
        return Approval(approved_on, approved_by, " ".join(options["minute"].split()))

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f'There is no user "{username}".') from None

    def _read(self, path):
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        problem = size_problem(path.stat().st_size)
        if problem:
            raise CommandError(problem)
        return path.read_bytes()

    def _progress(self, stage, done, total):
        # Small files finish before anyone wants a count.
        if total >= 1000 or done == total and total >= 200:
            self.stdout.write(
                f"{stage.capitalize()}: {done:,} of {total:,} rows ({time.monotonic() - self._started:.1f} s)"
            )

    def _report(self, plan):
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if plan.encoding and plan.encoding != "UTF-8":
            self.stdout.write(f"Read the file as {plan.encoding} text.")
        if not plan.is_valid:
            if plan.unknown_partners:
                self.stderr.write(
                    "Partner organisations not in the register (add them, or use --create-partners): "
                    + "; ".join(plan.unknown_partners)
                )
            return
        counts = plan.counts
        self.stdout.write(
            f"{plan.row_count} rows: {counts[CREATE]} to create as drafts, {counts[UPDATE]} to update, "
            f"{counts[UNCHANGED]} unchanged."
        )
        for row in plan.rows:
            if row.action == DUPLICATE:
                self.stdout.write(
                    self.style.WARNING(
                        f"  row {row.row}: {row.name} is already in the register as {row.duplicate_of}; not imported."
                    )
                )
        if plan.new_partners:
            names = sorted(org.name for org in plan.new_partners.values())
            self.stdout.write("Partner organisations to create: " + "; ".join(names))
        changing = [row for row in plan.rows if row.action in (CREATE, UPDATE)]
        for row in changing[:PREVIEW_ROWS]:
            reference = row.reference or "(new)"
            what = "create" if row.action == CREATE else "update " + ", ".join(row.changes)
            live = " (live: saved as a draft revision for approval)" if row.live else ""
            self.stdout.write(f"  row {row.row}: {reference} {row.name}: {what}{live}")
        if len(changing) > PREVIEW_ROWS:
            self.stdout.write(f"  … and {len(changing) - PREVIEW_ROWS:,} more")

    def _print_columns(self):
        for column in COLUMNS:
            self.stdout.write(f"{column.header} ({column.requirement.lower()}): {column.description}")
            self.stdout.write(f"    Format: {column.format}")
            if column.example:
                self.stdout.write(f"    Example: {column.example}")
            if column.when_blank:
                self.stdout.write(f"    If empty: {column.when_blank}")

    def _write_template(self, path):
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(writing.template_xlsx())
        elif path.suffix.lower() == ".csv":
            path.write_bytes(writing.template_csv())
        else:
            raise CommandError("The template's name must end in .csv or .xlsx.")
        self.stdout.write(f"Wrote {path}.")
