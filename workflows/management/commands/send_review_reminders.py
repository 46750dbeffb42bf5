"""Run the review-due sweep now: ``manage.py send_review_reminders [--dry-run] [--date YYYY-MM-DD]``."""

from django.core.management.base import BaseCommand

from portal.management.dates import iso_date
from workflows.reminders.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Remind lead officers and page owners of reviews and reports falling due, escalate overdue ones "
        "to Heads of Service, and send register managers their weekly digest. Never sends a reminder twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the reminders that would be sent; record and send nothing."
        )
        parser.add_argument(
            "--date",
            type=str,
            help="Sweep as if today were this date (YYYY-MM-DD). Default: today in Europe/London.",
        )

    def handle(self, *args, dry_run=False, date=None, **options):
        today = iso_date(date) if date else None
        result = run_sweep(today, dry_run=dry_run)
        verbosity = options.get("verbosity", 1)
        if dry_run or verbosity > 1:
            for reminder in result.new:
                self.stdout.write(reminder.describe())
        verb = "Would send" if dry_run else "Recorded"
        counts = ", ".join(f"{n} {family}" for family, n in sorted(result.recorded.items())) or "nothing new"
        self.stdout.write(f"{verb} for {result.today.isoformat()}: {counts}.")
        if not dry_run:
            self.stdout.write(f"Handed {result.handed_on} pending reminder(s) on for sending.")
