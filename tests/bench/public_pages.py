"""The public pages twice: from the page cache, and built on every request; each beside the bare view.

Two gunicorn servers in turn, the same but for ``PUBLIC_PAGE_CACHE``. On each, the
bare Django view (``/bench/ceiling``) is measured before and after the pages, and
every page's figures are given as ratios to it: its share of the bare view's
requests per second, and its CPU per request (workers and database backends, from
/proc) as a multiple of the bare view's.

The whole register's CSV is a page like the others there (hammered as a repeat
download, from the file built once per change), and is also timed to the last byte
one download at a time: the first (which builds the file), then ``REPEAT_DOWNLOADS``
more, whose median is the figure the target is set on.
"""

import statistics

from tests.bench import load
from tests.bench.cpu import CpuMeter

CEILING = "/bench/ceiling"
VARIANTS = {"cached": "true", "uncached": "false"}

# Targets: cached pages at 60% of the bare view's throughput; uncached index 6%, content page 10%.
CACHED_SHARE_TARGET = 0.60
UNCACHED_SHARE_TARGETS = {"Register index": 0.06, "Content page": 0.10}
UNCACHED_SQL_TARGETS = {"Register index": 3, "Register index, filtered": 3, "Content page": 2}
REPEAT_CSV_TARGET_SECONDS = 0.2
REPEAT_DOWNLOADS = 25
CSV_ROW = "Register CSV, repeat download"


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
    """One server's figures: the bare view before and after, the pages, the CSV timed and hammered."""
    downloads = _time_downloads(port, csv_path, variant, log)  # the first builds the file
    rows = {"Bare view, before": _hammer(port, meter, CEILING, seconds)}
    _log_row(log, f"bare view ({variant})", rows["Bare view, before"])
    for name, path in [*page_list, (CSV_ROW, csv_path)]:
        rows[name] = _hammer(port, meter, path, seconds)
        _log_row(log, f"{name} ({variant})", rows[name])
    rows["Bare view, after"] = _hammer(port, meter, CEILING, seconds)
    _log_row(log, f"bare view again ({variant})", rows["Bare view, after"])
    bare = max(rows["Bare view, before"], rows["Bare view, after"], key=lambda row: row["requests_per_second"])
    for row in rows.values():
        row["share_of_bare_view"] = round(row["requests_per_second"] / bare["requests_per_second"], 4)
        if row["cpu_ms_per_request"] and bare["cpu_ms_per_request"]:
            row["cpu_vs_bare_view"] = round(row["cpu_ms_per_request"] / bare["cpu_ms_per_request"], 2)
    bare_ms = 1000 / bare["requests_per_second"] if bare["requests_per_second"] else None
    if bare_ms and downloads["repeat_median"] is not None:
        # How many bare-view requests' time one repeat download takes, one client at a time.
        downloads["repeat_median_vs_bare_view_request"] = round(downloads["repeat_median"] * 1000 / bare_ms, 1)
    return {"pages": rows, "csv_seconds": downloads, "bare_view_requests_per_second": bare["requests_per_second"]}


def _time_downloads(port, csv_path, variant, log):
    """The first download, then ``REPEAT_DOWNLOADS`` more, each alone, timed to the last byte."""
    timed = [load.fetch(port, csv_path) for _ in range(1 + REPEAT_DOWNLOADS)]
    first, repeats = timed[0], sorted(seconds for seconds, _status, _size in timed[1:])
    figures = {
        "first": round(first[0], 3),
        "bytes": first[2],
        "statuses": sorted({status for _seconds, status, _size in timed}),
        "repeat_median": round(statistics.median(repeats), 4) if repeats else None,
        "repeat_p90": round(repeats[round(0.9 * (len(repeats) - 1))], 4) if repeats else None,
        "repeat_max": round(repeats[-1], 4) if repeats else None,
        "repeats": len(repeats),
    }
    log(
        f"  CSV download ({variant}, {figures['bytes']:,} bytes): first {figures['first']:.3f} s; "
        f"{figures['repeats']} repeats median {figures['repeat_median']:.4f} s, "
        f"p90 {figures['repeat_p90']:.4f} s, max {figures['repeat_max']:.4f} s"
    )
    return figures


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
        if not name.startswith("Bare view") and "search" not in name and name != CSV_ROW:
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
    for variant in VARIANTS:
        median = results.get(variant, {}).get("csv_seconds", {}).get("repeat_median")
        if median is not None:
            ok = median < REPEAT_CSV_TARGET_SECONDS
            checks.append((f"Repeat CSV download ({variant}), median < 0.2 s", f"{median:.4f} s", ok))
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
        csv = figures["csv_seconds"]
        lines.append(
            f"- CSV download, {variant} ({csv['bytes']:,} bytes, to the last byte, one at a time): first "
            f"{csv['first']} s; {csv['repeats']} repeats median {csv['repeat_median']} s, p90 {csv['repeat_p90']} s, "
            f"max {csv['repeat_max']} s ({csv.get('repeat_median_vs_bare_view_request', '?')}× a bare-view request)"
        )
    return lines
