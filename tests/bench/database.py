"""The bench's own database, beside the developer's and never instead of it.

With a PostgreSQL ``DATABASE_URL`` the bench uses ``<name>_bench`` on the same server,
dropped and created afresh each run; otherwise ``var/bench.sqlite3``.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"
SUFFIX = "_bench"


@dataclass(frozen=True)
class BenchDatabase:
    url: str
    vendor: str  # "postgresql" or "sqlite"
    name: str

    def describe(self):
        return f"PostgreSQL database {self.name}" if self.vendor == "postgresql" else f"SQLite file {self.name}"


def bench_database(developer_url):
    parts = urlsplit(developer_url or "")
    if parts.scheme in ("postgres", "postgresql", "pgsql", "postgis"):
        name = (parts.path.lstrip("/") or parts.username or "postgres") + SUFFIX
        return BenchDatabase(urlunsplit(parts._replace(path=f"/{name}")), "postgresql", name)
    return BenchDatabase(f"sqlite:///{SQLITE_PATH}", "sqlite", str(SQLITE_PATH))


def _maintenance_url(database):
    return urlunsplit(urlsplit(database.url)._replace(path="/postgres"))


def recreate(database):
    """Drop and create the bench database (only ever one whose name ends in ``_bench``)."""
    if database.vendor == "sqlite":
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        for path in (SQLITE_PATH, SQLITE_PATH.with_name(SQLITE_PATH.name + "-journal")):
            path.unlink(missing_ok=True)
        return
    assert database.name.endswith(SUFFIX), database.name
    import psycopg
    from psycopg import sql

    with psycopg.connect(_maintenance_url(database), autocommit=True) as connection:
        name = sql.Identifier(database.name)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def exists(database):
    if database.vendor == "sqlite":
        return SQLITE_PATH.exists()
    import psycopg

    with psycopg.connect(_maintenance_url(database), autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name]).fetchone()
    return found is not None


def analyse(database):
    """Bring the database to the state autovacuum keeps it in, right after the bulk load.

    Without it, the first minutes after seeding measure plans made for empty tables,
    until autovacuum happens to analyse them. On PostgreSQL it also vacuums, as
    autovacuum does within a minute of a load this size: the vacuum marks the table's
    pages all-visible, which lets the register count its entries from an index alone
    rather than read every row; and autovacuum is then not at work mid-measurement.
    """
    if database.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(SQLITE_PATH) as connection:
            connection.execute("ANALYZE")
        return
    import psycopg

    with psycopg.connect(database.url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def partnership_count(database):
    """How many partnerships the bench database holds (a kept one may hold the review sweep's too)."""
    if database.vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(SQLITE_PATH) as connection:
            return connection.execute("SELECT COUNT(*) FROM partnerships_partnership").fetchone()[0]
    import psycopg

    with psycopg.connect(database.url, autocommit=True) as connection:
        return connection.execute("SELECT COUNT(*) FROM partnerships_partnership").fetchone()[0]
