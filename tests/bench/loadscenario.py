"""``make bench-load``: the web container's gunicorn under 64 clients on pages and the CSV together.

gunicorn runs with ``docker/gunicorn.conf.py`` (the production worker class, processes
and threads; ``WEB_CONCURRENCY`` / ``WEB_THREADS`` override them as in the container),
bound to a free port of 127.0.0.1, on the bench's database (seeded as ``make bench``
seeds it, 10,000 entries). ``mixed.run`` then keeps ``--clients`` requests in flight
over the register, an entry page and ``register.csv`` for ``--seconds``, and reports
req/s, p50/p95/p99 per URL, timeouts (30 s), errors and the server's CPU per request.

    python -m tests.bench.loadscenario [--clients 64] [--seconds 60] [--reuse]
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tests.bench import database, load, mixed
from tests.bench.gunicorn import BASE_DIR, WSGI_APP, Gunicorn

GUNICORN_CONF = BASE_DIR / "docker" / "gunicorn.conf.py"
REGISTER = "/partnerships/"
CSV = "/partnerships/register.csv"


def production_server(env, log_path, app=WSGI_APP):
    """gunicorn with the container's settings file."""
    return Gunicorn(env, ["--config", str(GUNICORN_CONF)], app=app, log_path=log_path, stop_timeout=40)


def scenario_paths(entry_slug):
    paths = [REGISTER]
    if entry_slug:
        paths.append(f"{REGISTER}{entry_slug}/")
    paths.append(CSV)
    return paths


def serve_and_load(env, paths, *, clients, seconds, timeout=30.0, log=print, scratch):
    """Start the production gunicorn, warm it, run the mixed load, stop it; the figures."""
    server = production_server(env, scratch / "gunicorn.log").wait_until_up(REGISTER)
    try:
        for path in paths:  # templates, per-process caches; both processes, roughly
            for _ in range(2):
                load.fetch(server.port, path)
        log(f"Mixed load on gunicorn ({GUNICORN_CONF.relative_to(BASE_DIR)}), {clients} clients, {seconds:g} s")
        figures = mixed.run(
            server.port, paths, clients=clients, duration=seconds, timeout=timeout, server_pid=server.pid
        )
    finally:
        server.stop()
    figures["gunicorn"] = {
        "config": str(GUNICORN_CONF.relative_to(BASE_DIR)),
        "workers": os.environ.get("WEB_CONCURRENCY", "2"),
        "threads": os.environ.get("WEB_THREADS", "4"),
    }
    for line in mixed.report_lines(figures):
        log(line)
    return figures


def main(argv=None):
    from tests.bench import __main__ as bench

    parser = argparse.ArgumentParser(prog="python -m tests.bench.loadscenario", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    args = parser.parse_args(argv)

    bench_db = database.bench_database(os.environ.get("DATABASE_URL", ""))
    scratch = Path(tempfile.mkdtemp(prefix="portal-bench-load-"))
    env = bench.bench_environment(bench_db, scratch)
    try:
        bench.prepare(bench_db, env, args.partnerships, args.reuse, print)
        bench.setup_django(env)
        slug, _total = bench.sample_entry()
        figures = serve_and_load(env, scenario_paths(slug), clients=args.clients, seconds=args.seconds, scratch=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(figures, indent=2))
    return 1 if figures["timeouts"] or figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
