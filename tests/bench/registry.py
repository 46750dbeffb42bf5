"""Benchmarks other modules add to ``make bench`` (the review sweep, say).

A benchmark is a function that takes a ``BenchContext`` and returns its figures as a
dict; ``seconds`` is compared with the target when one is given::

    # tests/bench/bench_reviews.py (any module named tests/bench/bench_*.py is loaded)
    from tests.bench.registry import benchmark

    @benchmark("Review sweep of 10,000 entries", target_seconds=10)
    def review_sweep(context):
        from tests.bench.review_sweep import run
        return {"seconds": run(entries=10_000)}

The function runs in the bench process after the HTTP measurements, with Django set
up against the bench database (already seeded with ``context.partnerships`` entries),
so whatever it writes stays in a database that exists only for the bench.

The registry lives in this module, not in ``__main__``: ``python -m tests.bench`` runs
``__main__`` under the name ``__main__``, so a module importing ``tests.bench.__main__``
would get a second, empty copy of anything defined there.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Benchmark:
    name: str
    function: object
    target_seconds: float | None = None


@dataclass
class BenchContext:
    partnerships: int
    database_url: str
    vendor: str
    notes: list = field(default_factory=list)


BENCHMARKS = []


def benchmark(name, target_seconds=None):
    def register(function):
        BENCHMARKS.append(Benchmark(name, function, target_seconds))
        return function

    return register


# Benchmarks owned by other apps: module path, what ``run`` is called with, the target.
# ``run`` returns seconds. A missing module is reported and skipped, not an error.
APP_BENCHMARKS = [
    ("Import of 10,000 rows", "tests.bench.import_rows", {"rows": 10_000}, 30.0),
]
