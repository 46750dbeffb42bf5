"""Benchmark: the daily review-due sweep over 100,000 partnerships (``tests.bench.review_sweep``)."""

from tests.bench.registry import benchmark

PARTNERSHIPS = 100_000


@benchmark(f"Review-due sweep of {PARTNERSHIPS:,} partnerships (daily run)", target_seconds=10)
def review_sweep(context):
    from tests.bench.review_sweep import run

    if context.vendor != "postgresql":
        context.notes.append("The review sweep benchmark is meant for PostgreSQL; these figures are from SQLite.")
    return run(partnerships=PARTNERSHIPS)
