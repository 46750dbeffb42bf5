"""CPU time of the server under test, read from /proc: gunicorn's processes and their database backends.

Throughput on a shared 2-core machine moves with whatever else runs on it; the CPU
a request costs the server (Python in the workers, SQL in PostgreSQL's backends for
the bench database) moves far less. Redis, shared with other work, is not counted.
"""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _ticks(pid):
    """utime + stime of one process, in clock ticks (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid):
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue += _children(current)
    return pids


def database_backends(database_url, vendor):
    """PIDs of the PostgreSQL backends serving the bench database (none for SQLite: it runs in the workers)."""
    if vendor != "postgresql":
        return []
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [row[0] for row in rows]


class CpuMeter:
    """CPU seconds used by the server's processes and database backends between ``start`` and ``stop``."""

    def __init__(self, server_pid, database_url, vendor):
        self.server_pid, self.database_url, self.vendor = server_pid, database_url, vendor

    def _sample(self):
        pids = process_tree(self.server_pid) + database_backends(self.database_url, self.vendor)
        return {pid: _ticks(pid) for pid in pids}

    def start(self):
        self._before = self._sample()

    def stop(self):
        after = self._sample()
        # A backend that appeared during the run counts from zero; one that left keeps what it had.
        used = sum(ticks - self._before.get(pid, 0) for pid, ticks in after.items())
        return max(used, 0) / TICKS
