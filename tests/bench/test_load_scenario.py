"""The load scenario's machinery, run briefly so it cannot rot between benchmark runs.

gunicorn is started from ``docker/gunicorn.conf.py`` exactly as the scenario starts it,
serving a small WSGI app with a fast page and a slow "download", and a handful of
clients run through ``mixed.run`` for two seconds. No database: the full scenario,
seeded with 10,000 entries, is ``make bench-load``.
"""

import os
import sys
import time
from pathlib import Path

import pytest

from tests.bench import load, loadscenario, mixed

SLOW_SECONDS = 0.4


def application(environ, start_response):
    """Served by gunicorn in the tests below: ``/slow`` holds its thread like a large export."""
    path = environ["PATH_INFO"]
    if path == "/slow":
        time.sleep(SLOW_SECONDS)
    elif path == "/stuck":
        time.sleep(5)
    status = "500 Internal Server Error" if path == "/broken" else "200 OK"
    start_response(status, [("Content-Type", "text/plain")])
    return [b"x" * (100_000 if path == "/slow" else 10)]


@pytest.fixture
def server(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(loadscenario.BASE_DIR), "WEB_CONCURRENCY": "2", "WEB_THREADS": "4"}
    started = loadscenario.production_server(
        env, tmp_path / "gunicorn.log", app="tests.bench.test_load_scenario:application"
    )
    try:
        assert load.wait_until_up(started.port, "/fast", timeout=30), started.output()
        yield started
    finally:
        started.stop()


def test_pages_are_answered_beside_slow_downloads_and_every_figure_is_reported(server):
    figures = mixed.run(server.port, ["/fast", "/slow"], clients=4, duration=2.0, timeout=5, server_pid=server.pid)
    fast, slow = figures["paths"]["/fast"], figures["paths"]["/slow"]
    assert figures["timeouts"] == 0
    assert figures["errors"] == 0
    assert fast["requests"] > 0 and slow["requests"] > 0
    assert fast["statuses"] == {200: fast["requests"]}
    # Four clients alternate: at most three downloads are in flight when a page is asked for,
    # so even with every connection on one process a thread is free for it (gthread).
    assert fast["p50_ms"] < SLOW_SECONDS * 1000 / 2
    assert slow["p50_ms"] >= SLOW_SECONDS * 1000
    assert slow["bytes_per_response"] == 100_000
    assert figures["requests_per_second"] > 0
    # gunicorn's processes did the work, and /proc saw it.
    assert figures["server_cpu_seconds"] > 0
    assert figures["server_cpu_ms_per_request"] > 0
    lines = mixed.report_lines(figures)
    assert any("/fast" in line and "p95" in line for line in lines)


def test_timeouts_and_errors_are_counted_per_url(server):
    figures = mixed.run(server.port, ["/stuck", "/broken"], clients=2, duration=1.0, timeout=1.0)
    assert figures["paths"]["/stuck"]["timeouts"] >= 1
    assert figures["paths"]["/stuck"]["requests"] == 0
    assert figures["paths"]["/broken"]["errors"] == figures["paths"]["/broken"]["requests"] >= 1
    assert figures["paths"]["/broken"]["statuses"] == {500: figures["paths"]["/broken"]["requests"]}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_cpu_of_a_process_tree_counts_its_children():
    own = mixed.process_tree_cpu(os.getpid())
    assert own is not None and own > 0
    assert mixed.process_tree_cpu(2**22 + 1) is None
    assert Path("/proc/self/stat").exists()
