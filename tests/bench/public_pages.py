"""The public pages twice: from the page cache, and built on every request; each beside the bare view.

Two gunicorn servers in turn, the same but for ``PUBLIC_PAGE_CACHE``. On each, the
bare Django view (``/bench/ceiling``) is measured before and after the pages, and
every page's figures are given as ratios to it: its share of the bare view's
requests per second, and its CPU per request (workers and database backends, from
/proc) as a multiple of the bare view's.
"""

from tests.bench import load
from tests.bench.cpu import CpuMeter

CEILING = "/bench/ceiling"
VARIANTS = {"cached": "true", "uncached": "false"}

# Targets: cached pages at 60% of the bare view's throughput; uncached index 6%, content page 10%.
CACHED_SHARE_TARGET = 0.60
UNCACHED_SHARE_TARGETS = {"Register index": 0.06, "Content page": 0.10}
UNCACHED_SQL_TARGETS = {"Register index": 3, "Register index, filtered": 3, "Content page": 2}
REPEAT_CSV_TARGET_SECONDS = 0.2


def sample_content_page():
    """The address of a public content page (not the home page, not the intranet)."""
    from portal.models import ContentPage, IntranetHomePage

    intranet = IntranetHomePage.objects.first()
    pages = ContentPage.objects.live().public().order_by("path")
    if intranet:
        pages = pages.exclude(path__startswith=intranet.path)
    page = pages.first()
    return page.url if page else None


def pages(register, slug, content_url):
    found = [("Home page", "/")]
    if content_url:
        found.append(("Content page", content_url))
    found += [
        ("Register index", register),
        ("Register index, filtered", f"{register}?geography=district"),
        ("Register index, search", f"{register}?q=community"),
    ]
    if slug:
        found.append(("Entry page", f"{register}{slug}/"))
    return found


def _hammer(port, meter, path, seconds):
    for _ in range(10):  # each worker warms its caches and templates
        load.fetch(port, path)
    meter.start()
    result = load.hammer(port, path, concurrency=4, duration=seconds)
    cpu_seconds = meter.stop()
    summary = result.summary()
    summary["cpu_ms_per_request"] = round(cpu_seconds * 1000 / result.requests, 3) if result.requests else None
    return summary


def _log_row(log, name, row):
    log(
        f"  {name:<34} {row['requests_per_second']:>8.1f} req/s  CPU {row['cpu_ms_per_request']} ms/req  "
        f"p50 {row['p50_ms']} p95 {row['p95_ms']} p99 {row['p99_ms']} ms  {row['statuses']}"
    )


def measure(port, meter, variant, page_list, seconds, csv_path, log):
    """One server's figures: the bare view before and after, the pages, three CSV downloads."""
    rows = {"Bare view, before": _hammer(port, meter, CEILING, seconds)}
    _log_row(log, f"bare view ({variant})", rows["Bare view, before"])
    for name, path in page_list:
        rows[name] = _hammer(port, meter, path, seconds)
        _log_row(log, f"{name} ({variant})", rows[name])
    rows["Bare view, after"] = _hammer(port, meter, CEILING, seconds)
    _log_row(log, f"bare view again ({variant})", rows["Bare view, after"])
    bare = max(rows["Bare view, before"], rows["Bare view, after"], key=lambda row: row["requests_per_second"])
    for row in rows.values():
        row["share_of_bare_view"] = round(row["requests_per_second"] / bare["requests_per_second"], 4)
        if row["cpu_ms_per_request"] and bare["cpu_ms_per_request"]:
            row["cpu_vs_bare_view"] = round(row["cpu_ms_per_request"] / bare["cpu_ms_per_request"], 2)
    downloads = [round(load.fetch(port, csv_path)[0], 3) for _ in range(3)]
    log(f"  CSV downloads ({variant}): {', '.join(f'{s:.3f} s' for s in downloads)}")
    return {"pages": rows, "csv_seconds": downloads, "bare_view_requests_per_second": bare["requests_per_second"]}


def run(start_server, env, bench_db, page_list, seconds, csv_path, log):
    """Both variants, one server after the other. ``start_server(env)`` returns a started server."""
    results = {}
    for variant, flag in VARIANTS.items():
        server = start_server({**env, "PUBLIC_PAGE_CACHE": flag})
        try:
            meter = CpuMeter(server.process.pid, bench_db.url, bench_db.vendor)
            log(f"Public pages, {variant} (gunicorn, 2 workers)")
            results[variant] = measure(server.port, meter, variant, page_list, seconds, csv_path, log)
        finally:
            server.stop()
    return results


def verdicts(results, sql):
    checks = []
    cached = results.get("cached", {}).get("pages", {})
    uncached = results.get("uncached", {}).get("pages", {})
    for name, row in cached.items():
        if not name.startswith("Bare view") and "search" not in name:
            share = row["share_of_bare_view"]
            checks.append((f"Cached {name} ≥ 60% of the bare view", f"{share:.1%}", share >= CACHED_SHARE_TARGET))
    for name, target in UNCACHED_SHARE_TARGETS.items():
        if name in uncached:
            share = uncached[name]["share_of_bare_view"]
            checks.append((f"Uncached {name} ≥ {target:.0%} of the bare view", f"{share:.1%}", share >= target))
    for name, figures in sql.get("cached", {}).items():
        checks.append((f"SQL queries, cached {name} = 0", figures["queries"], figures["queries"] == 0))
    for name, target in UNCACHED_SQL_TARGETS.items():
        figures = sql.get("uncached", {}).get(name)
        if figures:
            queries = figures["queries"]
            checks.append((f"SQL queries, uncached {name} ≤ {target}", queries, queries <= target))
    repeat = results.get("cached", {}).get("csv_seconds", [])[1:]
    if repeat:
        ok = max(repeat) < REPEAT_CSV_TARGET_SECONDS
        checks.append(("Repeat CSV download < 0.2 s", f"{max(repeat):.3f} s", ok))
    return checks


def markdown(results):
    lines = [
        "",
        "| Page | variant | req/s | share of bare view | CPU ms/req | CPU × bare view | p50 | p95 | p99 | statuses |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for variant, figures in results.items():
        for name, row in figures["pages"].items():
            cells = [
                f"{name} `{row['path']}`",
                variant,
                row["requests_per_second"],
                f"{row['share_of_bare_view']:.1%}",
                row["cpu_ms_per_request"],
                row.get("cpu_vs_bare_view", ""),
                row["p50_ms"],
                row["p95_ms"],
                row["p99_ms"],
                row["statuses"],
            ]
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    for variant, figures in results.items():
        lines.append(f"- CSV downloads, {variant}: {figures['csv_seconds']} s")
    return lines
