import time

from django.core.management.base import BaseCommand, CommandError

from partnerships import demo
from partnerships.models import Partnership
from portal.management.dates import iso_date
from workflows import demo as workflows_demo


class Command(BaseCommand):
    help = (
        "Fill the register with a plausible demonstration register: the same entries for the same "
        "--partnerships and --seed. Development and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=60, help="How many entries to make (default 60).")
        parser.add_argument("--seed", type=int, default=1, help="The random seed (default 1).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the register already has any entry.")
        parser.add_argument(
            "--submit-proposals",
            action="store_true",
            help="Have the demo lead officers submit two proposals, one of them already endorsed, so the demo "
            "Head of Service and Management Board accounts have decisions to take.",
        )
        parser.add_argument(
            "--reference-date",
            type=lambda value: iso_date(value, "--reference-date"),
            default=demo.REFERENCE_DATE,
            help=f"The day the register is drawn around, YYYY-MM-DD (default {demo.REFERENCE_DATE}).",
        )

    def handle(self, *args, partnerships, seed, if_empty, reference_date, submit_proposals, **options):
        if partnerships < 0:
            raise CommandError("--partnerships cannot be negative.")
        if if_empty and Partnership.objects.exists():
            self.stdout.write("seed_demo: the register already has entries; nothing added.")
            return
        started = time.perf_counter()
        plan = demo.plan_register(partnerships, seed, reference_date)
        report = demo.write_register(plan)
        seconds = time.perf_counter() - started
        span = "–".join(report.references) if report.references else "none"
        self.stdout.write(
            f"seed_demo: {report.created} partnerships ({span}) from seed {seed} in {seconds:.1f} s: "
            f"{report.public} on the public register, {report.drafts} drafts, {report.significant} significant."
        )
        if submit_proposals:
            names, problem = workflows_demo.submit_proposals()
            if problem:
                self.stdout.write(f"seed_demo: no proposals submitted: {problem}.")
            elif names:
                self.stdout.write(f"seed_demo: proposals submitted for approval: {'; '.join(names)}.")
