"""A mixed load: many clients on the register, an entry and the CSV download at once.

Each client is a thread with its own keep-alive connection that cycles through the
given paths, so every path always has requests in flight beside the others: a slow
download that held a worker would show as page requests waiting behind it. A request
not complete within ``timeout`` seconds counts as a timeout, as a browser or a proxy
would give up (its latency, when it did complete, still counts in the percentiles).
The server's CPU time is read from ``/proc`` for gunicorn's master and its workers
(including workers recycled during the run), so the cost per request holds whatever
else the machine is doing. Only ever pointed at 127.0.0.1.
"""

import http.client
import os
import threading
import time
from collections import Counter
from pathlib import Path

from tests.bench.load import HOST, LoadResult, _get

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid):
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    return text[text.rindex(")") + 2 :].split()


def process_tree_cpu(pid):
    """CPU seconds of ``pid`` and its children, living or reaped; None where /proc is missing."""
    try:
        fields = _stat_fields(pid)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    # utime, stime, cutime, cstime are fields 14-17 of stat(5); here 0-based after the state.
    ticks = sum(int(value) for value in fields[11:15])
    for child in _children(pid):
        try:
            ticks += sum(int(value) for value in _stat_fields(child)[11:13])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # exited between the listing and the read; its time is in cutime now
    return ticks / CLOCK_TICKS


def _children(pid):
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return children


def run(port, paths, *, clients=64, duration=60.0, timeout=30.0, server_pid=None):
    """Keep ``clients`` requests in flight over ``paths`` for ``duration`` seconds; a dict of figures."""
    results = {path: LoadResult(path, clients) for path in paths}
    timeouts, errors = Counter(), Counter()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + duration
    cpu_before = process_tree_cpu(server_pid) if server_pid else None

    def client(offset):
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        turn = offset
        try:
            while time.perf_counter() < deadline:
                path = paths[turn % len(paths)]
                turn += 1
                sent = time.perf_counter()
                try:
                    status, size = _get(connection, path)
                except TimeoutError:
                    connection.close()
                    with lock:
                        timeouts[path] += 1
                    continue
                except (OSError, http.client.HTTPException):
                    connection.close()
                    with lock:
                        errors[path] += 1
                    continue
                elapsed = (time.perf_counter() - sent) * 1000
                with lock:
                    if elapsed > timeout * 1000:  # answered, but after a browser or proxy would have given up
                        timeouts[path] += 1
                    results[path].latencies.append(elapsed)
                    results[path].statuses[status] += 1
                    results[path].bytes += size
                    if status >= 400:
                        errors[path] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    cpu_after = process_tree_cpu(server_pid) if server_pid else None

    per_path = {}
    for path, result in results.items():
        result.seconds = seconds
        figures = result.summary()
        figures["timeouts"] = timeouts[path]
        figures["errors"] = errors[path]
        per_path[path] = figures
    completed = sum(result.requests for result in results.values())
    server_cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return {
        "clients": clients,
        "seconds": round(seconds, 1),
        "timeout_seconds": timeout,
        "requests": completed,
        "requests_per_second": round(completed / seconds, 1) if seconds else 0.0,
        "timeouts": sum(timeouts.values()),
        "errors": sum(errors.values()),
        "server_cpu_seconds": None if server_cpu is None else round(server_cpu, 2),
        "server_cpu_ms_per_request": round(server_cpu * 1000 / completed, 1) if server_cpu and completed else None,
        "paths": per_path,
    }


def report_lines(figures):
    lines = [
        f"  {figures['clients']} clients, {figures['seconds']} s: {figures['requests']} requests, "
        f"{figures['requests_per_second']} req/s, {figures['timeouts']} timeouts "
        f"({figures['timeout_seconds']:g} s), {figures['errors']} errors, "
        f"server CPU {figures['server_cpu_ms_per_request']} ms/request"
    ]
    for path, row in figures["paths"].items():
        lines.append(
            f"    {path[:44]:<44} {row['requests_per_second']:>7.1f} req/s  p50 {row['p50_ms']} ms  "
            f"p95 {row['p95_ms']} ms  p99 {row['p99_ms']} ms  timeouts {row['timeouts']}  errors {row['errors']}  "
            f"statuses {row['statuses']}"
        )
    return lines
