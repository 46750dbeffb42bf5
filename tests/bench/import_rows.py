"""Benchmark: import a generated register spreadsheet of ``rows`` new entries (target: under 30 s for 10,000).

``run(rows=10000)`` makes the people, service areas, priorities and partner bodies
the rows name, writes the CSV in memory, and times ``import_file`` — reading,
checking every row and saving them all — on whatever database Django is configured
with. Everything happens in a transaction that is rolled back afterwards (unless
``keep=True``), so the benchmark leaves the register as it found it.

    python -m tests.bench.import_rows [ROWS]
"""

import csv
import io
import random
import time

from django.db import transaction

from partnerships.importing.indexing import index_entries
from partnerships.importing.service import import_file

PREFIX = "Bench"


class _RollBack(Exception):
    pass


def make_reference_data(rng):
    from django.contrib.auth import get_user_model

    from partnerships.models import CouncilPriority, PartnerOrganisation, Sector, ServiceArea

    users = get_user_model().objects.bulk_create(
        get_user_model()(
            username=f"bench-officer-{n}",
            first_name=f"{PREFIX}{n}",
            last_name="Officer",
            email=f"bench.officer{n}@council.example",
        )
        for n in range(40)
    )
    areas = [ServiceArea.objects.create(name=f"{PREFIX} service {n}", head_of_service=users[n]) for n in range(8)]
    priorities = CouncilPriority.objects.bulk_create(CouncilPriority(name=f"{PREFIX} priority {n}") for n in range(6))
    organisations = PartnerOrganisation.objects.bulk_create(
        PartnerOrganisation(name=f"{PREFIX} partner body {n}", sector=rng.choice(Sector.values)) for n in range(300)
    )
    return users, areas, priorities, organisations


def register_csv(rows, rng, users, areas, priorities, organisations):
    """A plausible council spreadsheet: every column filled, written the way people write them."""
    from partnerships.importing.columns import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in COLUMNS])
    for n in range(rows):
        cells = {
            "name": f"{PREFIX} partnership {n}",
            "purpose": f"To work together on local priority {n % 17} across the district.",
            "shared_objective": "Better outcomes for residents",
            "status": rng.choice(["Active", "proposed", "Under review"]),
            "level": rng.choice(["Strategic", "operational"]),
            "basis": rng.choice(["Statutory", "Voluntary"]),
            "membership": "Multi-organisation",
            "geography": rng.choice(["District", "County", "Sub-regional", "regional"]),
            "council_role": rng.choice(["Lead partner", "Active member", "funder_only"]),
            "legal_status": "Unincorporated association",
            "partners": "; ".join(org.name for org in rng.sample(organisations, 3)),
            "council_priorities": "; ".join(priority.name for priority in rng.sample(priorities, 2)),
            "lead_officer": rng.choice(users).email,
            "service_area": rng.choice(areas).name,
            "annual_contribution": f"£{rng.randrange(0, 90) * 1000:,}",
            "in_kind_hours": str(rng.randrange(0, 400)),
            "external_funding": f"£{rng.randrange(0, 50000):,}.50",
            "accountable_body_for_funds": rng.choice(["Yes", "No"]),
            "terms_of_reference_status": rng.choice(["Agreed", "Draft", "None"]),
            "equality_impact": "Done",
            "risk_rating": rng.choice(["Low", "Medium", "High"]),
            "performance_management": "Quarterly report to the board",
            "exit_strategy": "Review before the funding ends",
            "start_date": f"{rng.randrange(1, 29)}/{rng.randrange(1, 13):02d}/{rng.randrange(2005, 2024)}",
            "next_review_due": f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2026",
            "is_public": "Yes",
        }
        writer.writerow([cells.get(column.field, "") for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def run(rows=10000, seed=1, keep=False, verbose=False, include_indexing=False):
    """Seconds to import ``rows`` new entries from a CSV: reading, checking and saving them (one transaction).

    The search and reference indexing that follows the commit (a task) is timed too;
    ``include_indexing=True`` adds it to the figure returned, ``verbose`` prints both.
    """
    rng = random.Random(seed)
    timings = {}
    try:
        with transaction.atomic():
            users, areas, priorities, organisations = make_reference_data(rng)
            data = register_csv(rows, rng, users, areas, priorities, organisations)
            started, cpu = time.perf_counter(), time.process_time()
            plan, result = import_file(data, "bench.csv", user=users[0])
            timings["import"] = time.perf_counter() - started
            timings["import_cpu"] = time.process_time() - cpu
            if result is None:
                raise RuntimeError("The benchmark file did not import: " + "; ".join(map(str, plan.problems[:5])))
            started = time.perf_counter()
            # What the task queued on commit does (the commit never comes: this transaction is rolled back).
            index_entries([pk for pk, _, _ in result.created])
            timings["index"] = time.perf_counter() - started
            if verbose:
                print(
                    f"import of {len(result.created):,} rows: {timings['import']:.2f} s "
                    f"({timings['import_cpu']:.2f} s of it this process's CPU); "
                    f"then search and reference indexing after commit: {timings['index']:.2f} s"
                )
            if not keep:
                raise _RollBack
    except _RollBack:
        pass
    return timings["import"] + (timings["index"] if include_indexing else 0)


if __name__ == "__main__":  # pragma: no cover
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10000, verbose=True)
