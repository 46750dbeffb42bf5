"""``make bench``: the register's pages, open data and import, measured on this machine in one run.

1. A database of its own (``<name>_bench`` on PostgreSQL when ``DATABASE_URL`` is
   set, else ``var/bench.sqlite3``), migrated, ``setup_portal``, then
   ``seed_demo --partnerships 10000`` and ``VACUUM ANALYZE``; static files collected into a
   temporary folder.
2. gunicorn, 2 sync workers, production settings (``tests.bench.settings``: a
   throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, no SSL redirect) on a free port
   of 127.0.0.1.
3. A small load generator (``load.py``) on the bare view ``/bench/ceiling``, the home
   page, a content page, the register index (plain, filtered, searched) and an entry
   page, first from the page cache and then on a server with it off
   (``public_pages.py``): req/s, p50/p95/p99 and CPU ms per request (workers and
   database backends, from /proc), each as a ratio to the bare view in the same run.
   The full CSV on each: the first download (which builds the file on disk) and 25
   repeats, one at a time, timed to the last byte (median, p90, max), then hammered
   like the pages for its req/s and CPU beside the bare view.
4. In the bench process, with the server stopped: SQL queries per page through
   Django's test client (``CaptureQueriesContext``), the import of 10,000 rows
   (``tests.bench.import_rows``), and every benchmark in ``registry.BENCHMARKS``
   (modules ``tests/bench/bench_*.py`` add to it).
5. PASS/FAIL against the targets in ``public_pages.py``, and ``bench-results/results-<timestamp>.json``
   with a Markdown summary beside it.

The load test (``make bench-load``, ``tests/bench/loadscenario.py``) runs separately: the
container's gunicorn settings under 64 clients on pages and the CSV together.

Options: ``--partnerships N`` (default 10,000), ``--seconds S`` per measured URL
(default 8), ``--strict`` to exit 1 when a target fails, ``--reuse`` to keep an already
seeded bench database (after a whole run it also holds the review sweep's 100,000 entries,
and the page figures are then for that size: the run says so).
"""

import argparse
import datetime
import importlib
import json
import os
import pkgutil
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from tests.bench import database, load, public_pages
from tests.bench.gunicorn import Gunicorn
from tests.bench.registry import APP_BENCHMARKS, BENCHMARKS, BenchContext

BASE_DIR = Path(__file__).resolve().parents[2]
RESULTS_DIR = BASE_DIR / "bench-results"
CEILING = "/bench/ceiling"
REGISTER = "/partnerships/"
CSV = "/partnerships/register.csv"
JSON_FILE = "/partnerships/register.json"


def bench_environment(bench_db, scratch):
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DATABASE_URL=bench_db.url,
        DJANGO_SETTINGS_MODULE="tests.bench.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        BENCH_STATIC_ROOT=str(scratch / "static"),
        BENCH_MEDIA_ROOT=str(scratch / "media"),
        OPEN_DATA_ROOT=str(scratch / "open-data"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def server_environment(env, started):
    """The servers' environment: the developer's Redis, under keys of this run only, when REDIS_URL is set."""
    server_env = dict(env)
    if os.environ.get("REDIS_URL"):
        server_env["REDIS_URL"] = os.environ["REDIS_URL"]
        server_env["BENCH_CACHE_PREFIX"] = f"portal-bench-{started:%Y%m%dT%H%M%S}"
    return server_env


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def manage(env, *args):
    """Run a management command as a user would; returns (seconds, CPU seconds, its summary line).

    The CPU time (the command and any processes it waited for, not the database
    server) says what the step costs whatever else the machine is doing.
    """
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed")
    # The command's own summary line ("seed_demo: 10000 partnerships ..."), if it prints one.
    summary = [line for line in done.stdout.splitlines() if line.startswith(f"{args[0]}:")]
    return seconds, cpu, summary[-1] if summary else ""


def prepare(bench_db, env, partnerships, reuse, log):
    setup = {}
    if reuse and database.exists(bench_db):
        log(f"Reusing {bench_db.describe()}")
        setup["reused"] = True
        # A kept database may predate this checkout's migrations.
        manage(env, "migrate", "--noinput")
        held = setup["partnerships_in_database"] = database.partnership_count(bench_db)
        if held != partnerships:
            # The review-sweep benchmark tops the register up to its own 100,000 and leaves them.
            log(
                f"  The kept register holds {held:,} partnerships, not {partnerships:,}: the page figures "
                "below are for that size. Run without --reuse to measure the size asked for."
            )
    else:
        log(f"Creating {bench_db.describe()}")
        database.recreate(bench_db)
        for key, args in (
            ("migrate", ("migrate", "--noinput")),
            ("setup_portal", ("setup_portal", "--demo-users")),
            ("seed_demo", ("seed_demo", "--partnerships", str(partnerships), "--seed", "1")),
        ):
            seconds, cpu, output = manage(env, *args)
            setup[f"{key}_seconds"] = round(seconds, 1)
            setup[f"{key}_cpu_seconds"] = round(cpu, 1)
            log(f"  {key}: {seconds:.1f} s (CPU {cpu:.1f} s)  {output}")
            if key == "seed_demo":
                setup["seed_demo_output"] = output
    started = time.perf_counter()
    database.analyse(bench_db)
    setup["analyse_seconds"] = round(time.perf_counter() - started, 1)
    seconds, _cpu, _ = manage(env, "collectstatic", "--noinput")
    setup["collectstatic_seconds"] = round(seconds, 1)
    return setup


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def sample_entry():
    """A public entry from the middle of the register, for the detail page."""
    from django.db import connections

    from partnerships.models import Partnership

    public = Partnership.objects.public().order_by("reference")
    total = public.count()
    slug = public.values_list("slug", flat=True)[total // 2] if total else None
    connections.close_all()
    return slug, total


def count_queries(paths, log):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    public = Client(HTTP_HOST=load.HOST)
    staff = Client(HTTP_HOST=load.HOST)
    manager = get_user_model().objects.filter(groups__name="Register managers").order_by("pk").first()
    if manager:
        staff.force_login(manager)
    for name, path, signed_in in paths:
        client = staff if signed_in else public
        client.get(path)  # first request fills per-process caches (site root paths, settings)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[name] = {
            "path": path,
            "status": response.status_code,
            "queries": len(captured),
            "sql": [query["sql"][:400] for query in captured],
        }
        log(f"  {name:<30} {len(captured):>3} queries  ({response.status_code})")
    return counts


def run_app_benchmarks(context, log):
    results = {}
    for name, module_name, kwargs, target in APP_BENCHMARKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            results[name] = {"skipped": f"{module_name} does not exist yet", "target_seconds": target}
            log(f"  {name}: skipped ({module_name} does not exist yet)")
            continue
        seconds = module.run(**kwargs)
        results[name] = {"seconds": round(seconds, 2), "target_seconds": target}
        log(f"  {name}: {seconds:.1f} s")
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("bench_"):
            importlib.import_module(f"tests.bench.{module.name}")
    for bench in BENCHMARKS:
        try:
            figures = dict(bench.function(context) or {})
        except Exception:  # a broken benchmark is reported; the others still run
            figures = {"error": traceback.format_exc(limit=3)}
        figures["target_seconds"] = bench.target_seconds
        results[bench.name] = figures
        log(f"  {bench.name}: {figures.get('seconds', figures.get('error', figures))}")
    return results


def verdicts(results):
    public_names = {name for name, _path in public_pages.pages(REGISTER, "x", "/x/")}
    sql = {
        "cached": {name: row for name, row in results.get("sql", {}).items() if name in public_names},
        "uncached": results.get("sql_uncached", {}),
    }
    checks = public_pages.verdicts(results.get("public_pages", {}), sql)
    for name, figures in results.get("benchmarks", {}).items():
        target = figures.get("target_seconds")
        if target and "seconds" in figures:
            checks.append((f"{name} < {target:g} s", f"{figures['seconds']:.1f} s", figures["seconds"] < target))
    return [{"check": check, "value": value, "pass": bool(ok)} for check, value, ok in checks]


def markdown(results):
    lines = [
        f"# Benchmark, {results['started_at']}",
        "",
        f"{results['partnerships']:,} partnerships on {results['database']}; gunicorn, 2 sync workers; "
        f"{results['machine']['cpus']} CPUs; Python {results['machine']['python']}; load average "
        f"{results['machine']['load_average_at_start'][0]} at the start, "
        f"{results['machine']['load_average_at_end'][0]} at the end (other work on the machine slows every figure).",
        "",
    ]
    lines += public_pages.markdown(results.get("public_pages", {}))
    lines += ["", "| Page | SQL queries |", "|---|---:|"]
    for name, row in results.get("sql", {}).items():
        lines.append(f"| {name} `{row['path']}` | {row['queries']} |")
    lines += ["", "| Set-up step | seconds | CPU seconds |", "|---|---:|---:|"]
    setup = results.get("setup", {})
    for name, value in setup.items():
        if name.endswith("_seconds") and not name.endswith("_cpu_seconds"):
            step = name.removesuffix("_seconds")
            lines.append(f"| {step} | {value} | {setup.get(f'{step}_cpu_seconds', '')} |")
    lines += ["", "| Benchmark | result |", "|---|---|"]
    for name, row in results.get("benchmarks", {}).items():
        lines.append(f"| {name} | {row.get('seconds', row.get('skipped', row.get('error', '')))} |")
    lines += [f"- {note}" for note in results.get("notes", [])]
    lines += ["", "| Target | value | |", "|---|---|---|"]
    for row in results.get("targets", []):
        lines.append(f"| {row['check']} | {row['value']} | {'PASS' if row['pass'] else 'FAIL'} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=8.0, help="how long to measure each URL")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    args = parser.parse_args(argv)

    def log(message):
        print(message, flush=True)

    started = datetime.datetime.now(datetime.UTC)
    bench_db = database.bench_database(os.environ.get("DATABASE_URL", ""))
    scratch = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = bench_environment(bench_db, scratch)
    results = {
        "started_at": started.isoformat(timespec="seconds"),
        "partnerships": args.partnerships,
        "database": bench_db.describe(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
    }
    try:
        results["setup"] = prepare(bench_db, env, args.partnerships, args.reuse, log)
        setup_django(env)
        slug, public_total = sample_entry()
        content_url = public_pages.sample_content_page()
        results["public_entries"] = public_total
        page_list = public_pages.pages(REGISTER, slug, content_url)

        def start_server(server_env):
            """gunicorn with two sync workers."""
            options = ["--workers", "2", "--timeout", "120", "--log-level", "warning"]
            return Gunicorn(server_env, options).wait_until_up(CEILING)

        results["public_pages"] = public_pages.run(
            start_server, server_environment(env, started), bench_db, page_list, args.seconds, CSV, log
        )

        log("SQL queries per page (test client, in process)")
        from django.urls import reverse

        admin_pages = [
            ("Admin: register listing", reverse("wagtailsnippets_partnerships_partnership:list")),
            *[
                (f"Admin report: {name}", reverse(f"partnerships_reports:{name}"))
                for name in ("by_year", "by_type", "money", "significant", "governance_gaps")
            ],
        ]
        results["sql"] = count_queries(
            [(name, path, False) for name, path in page_list]
            + [("Open data: CSV export", CSV, False)]
            + [(name, path, True) for name, path in admin_pages],
            log,
        )
        log("SQL queries per public page with the page cache off (test client, in process)")
        from django.test import override_settings

        with override_settings(PUBLIC_PAGE_CACHE=False):
            results["sql_uncached"] = count_queries([(name, path, False) for name, path in page_list], log)
        log("Benchmarks")
        context = BenchContext(args.partnerships, bench_db.url, bench_db.vendor)
        results["benchmarks"] = run_app_benchmarks(context, log)
        results["notes"] = list(context.notes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    results["targets"] = verdicts(results)
    results["finished_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    json_path = RESULTS_DIR / f"results-{stamp}.json"
    json_path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    json_path.with_suffix(".md").write_text(markdown(results))
    log("")
    for note in results.get("notes", []):
        log(f"Note: {note}")
    for row in results["targets"]:
        log(f"{'PASS' if row['pass'] else 'FAIL'}  {row['check']}: {row['value']}")
    log(f"Results: {json_path.relative_to(BASE_DIR)} (and .md)")
    if args.strict and not all(row["pass"] for row in results["targets"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
