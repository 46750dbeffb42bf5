"""manage.py export_register FILE: the whole register in the import's columns (.csv or .xlsx).

Each entry is written as an editor would open it (with its unpublished changes), so
importing the file again changes nothing. The file holds internal fields: it is for
register managers, not for publication (the open data is /partnerships/register.csv).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partnerships.importing import writing


class Command(BaseCommand):
    help = "Write the register in the import's columns, to edit and import back."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write it: a name ending in .csv or .xlsx.")

    def handle(self, *args, file, **options):
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("The file's name must end in .csv or .xlsx.")
        path.write_bytes(writing.register_csv() if suffix == ".csv" else writing.register_xlsx())
        self.stdout.write(f"Wrote {path}.")
