"""A small HTTP load generator: threads, one keep-alive connection each, bounded by count and time.

Only ever pointed at 127.0.0.1. gunicorn's sync workers close the connection after
each response; ``http.client`` then reconnects on the next request, as a browser would.
The client shares the machine's two cores with the server, so absolute figures are
modest; the ratio of a page to the ceiling view, measured the same way in the same
run, is the figure that travels.
"""

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    path: str
    concurrency: int
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # milliseconds, completed requests
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    bytes: int = 0

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p):
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self):
        return {
            "path": self.path,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": dict(self.statuses),
            "seconds": round(self.seconds, 3),
            "concurrency": self.concurrency,
            "requests_per_second": round(self.per_second, 1),
            "p50_ms": _round(self.percentile(50)),
            "p95_ms": _round(self.percentile(95)),
            "p99_ms": _round(self.percentile(99)),
            "mean_ms": _round(statistics.fmean(self.latencies)) if self.latencies else None,
            "bytes_per_response": round(self.bytes / self.requests) if self.requests else 0,
        }


def _round(value):
    return None if value is None else round(value, 2)


def _get(connection, path):
    connection.request("GET", path, headers={"Host": f"{HOST}:{connection.port}", "User-Agent": "portal-bench"})
    response = connection.getresponse()
    body = response.read()
    if response.will_close:
        connection.close()
    return response.status, len(body)


def fetch(port, path, timeout=120):
    """One request, timed to the last byte: ``(seconds, status, bytes)``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.perf_counter()
    try:
        status, size = _get(connection, path)
    finally:
        connection.close()
    return time.perf_counter() - started, status, size


def hammer(port, path, *, concurrency=4, duration=8.0, max_requests=5000, timeout=30):
    """Keep ``concurrency`` requests in flight until ``duration`` seconds or ``max_requests`` have passed."""
    result = LoadResult(path, concurrency)
    lock = threading.Lock()
    issued = 0
    started = time.perf_counter()
    deadline = started + duration

    def worker():
        nonlocal issued
        connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            while True:
                with lock:
                    if issued >= max_requests or time.perf_counter() >= deadline:
                        return
                    issued += 1
                sent = time.perf_counter()
                try:
                    status, size = _get(connection, path)
                except (OSError, http.client.HTTPException):
                    connection.close()
                    with lock:
                        result.errors += 1
                    continue
                elapsed = (time.perf_counter() - sent) * 1000
                with lock:
                    result.latencies.append(elapsed)
                    result.statuses[status] += 1
                    result.bytes += size
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def wait_until_up(port, path, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _seconds, status, _size = fetch(port, path, timeout=5)
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.25)
    return False
