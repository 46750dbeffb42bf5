"""Fixtures for tests against real services: Redis and a Celery worker process.

``celery_worker_process``
    A real ``celery worker`` subprocess consuming from Redis. It starts once per test
    session (about 2 s) and is shared by the tests that ask for it; for the length of
    each such test, the test process sends its tasks to that worker's broker and reads
    and writes the same Redis cache. It needs ``REDIS_URL``: without it the tests that
    use it are skipped, or fail when ``CI`` is set, because CI must run them.

    **A test that touches the database must use ``transactional_db``** (or
    ``django_db(transaction=True)``): what it writes is then committed at once, so the
    worker, connected to the same test database, can read it, and ``delay_on_commit``
    sends at once. Inside the plain ``db`` fixture's transaction, never committed, the
    worker would see nothing and the test would wait in vain: the fixture refuses
    that combination. A test that needs no database (a task that only touches Redis)
    asks for neither, and is spared the flush that ends every transactional test.
    When the test database is SQLite in memory, no other process can open it: a test
    that needs the worker to read its data calls
    ``celery_worker_process.require_shared_database()``, and runs with ``DATABASE_URL``
    set to PostgreSQL (as CI does). Do not ``cache.clear()`` inside such a test: on
    Redis it flushes the whole database, Celery's queue bindings included.

``celery_in_process``
    The other way the portal runs, with no broker: tasks run eagerly in the test process.

``wait_for``
    ``wait_for(condition, timeout=10, message=...)`` polls ``condition`` until it returns
    something truthy, returns that, or fails the test after ``timeout`` seconds.

``rig`` and ``faults``
    For the fault tests: a worker and beat of their own (one per test module), running the
    portal as production does with a broker (``outbox_settings.py``), on a private Redis,
    a fake SMTP server and a proxy to PostgreSQL that a test stops, freezes, stalls or cuts
    (``faults.py``). ``faults`` points this process's broker and cache at that Redis for one
    test; ``faults.kill_worker()`` and ``faults.start_worker(name)`` kill and replace the worker.

Isolation: concurrent test runs on one machine (other developers, xdist workers) must
not consume each other's tasks. Each run claims a Redis database number of its own
(1 to 15, leaving 0 to development servers) with an expiring lock key, and only one
that is empty or left behind by an earlier test run; the worker and the test process
both use it, and the run empties it when it ends.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
import redis
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings

from portal.celery import app as celery_app
from tests.integration.faults import FakeSMTP, PrivateRedis, TcpProxy
from tests.integration.tasks import forget_content_types

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 30
WORKER_STOP_TIMEOUT = 10
LOCK_KEY = "portal:integration-tests:lock"
# Marks a database as used by these tests, so leftovers of a crashed run may be cleared.
MARKER_KEY = "portal:integration-tests:used"
LOCK_SECONDS = 3 * 60 * 60
CLAIMABLE_DATABASES = range(1, 16)


def _truthy(value):
    return (value or "").strip().lower() not in {"", "0", "false", "no", "off"}


def require(condition, reason):
    """Go on if ``condition`` holds; else skip the test (fail it in CI, where the services are mandatory)."""
    if condition:
        return
    if _truthy(os.environ.get("CI")):
        pytest.fail(f"{reason}. CI is set, and in CI the services are mandatory.", pytrace=False)
    pytest.skip(reason)


def require_services(what):
    """REDIS_URL, or skip the test (fail it in CI)."""
    redis_url = os.environ.get("REDIS_URL", "")
    require(redis_url, f"{what} needs Redis: set REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    return redis_url


def wait_for(condition, timeout=10.0, interval=0.05, message="the condition"):
    """Poll ``condition`` until it returns something truthy; return it, or fail the test.

    ``message`` may be a callable, called only on timeout (to attach a log, say).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            pytest.fail(f"Timed out after {timeout:g} s waiting for {text}")
        time.sleep(interval)


@pytest.fixture(name="wait_for")
def wait_for_fixture():
    return wait_for


def redis_url_with_database(url, number):
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=urlencode([*query, ("db", number)])))
    return urlunsplit(parts._replace(path=f"/{number}", query=urlencode(query)))


def redis_cache_settings(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


class RedisDatabaseClaim:
    """One Redis database number held by this test process until ``release()``."""

    def __init__(self, url, client, owner):
        self.url, self.client, self.owner = url, client, owner

    @classmethod
    def acquire(cls, base_url):
        owner = f"{socket.gethostname()}:{os.getpid()}"
        # Start at a pid-derived number so concurrent runs rarely race for the same one.
        numbers = list(CLAIMABLE_DATABASES)
        start = os.getpid() % len(numbers)
        for number in numbers[start:] + numbers[:start]:
            url = redis_url_with_database(base_url, number)
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            try:
                claimed = client.set(LOCK_KEY, owner, nx=True, ex=LOCK_SECONDS)
            except redis.ResponseError:  # "DB index is out of range": a server with fewer databases
                client.close()
                continue
            if claimed and (client.dbsize() == 1 or client.exists(MARKER_KEY)):
                claim = cls(url, client, owner)
                claim.clear()
                return claim
            if claimed:  # someone else's data: leave the database alone
                client.delete(LOCK_KEY)
            client.close()
        raise RuntimeError(
            f"No free Redis database for the integration tests among {numbers[0]}-{numbers[-1]} "
            f"on {urlsplit(base_url).hostname}: each holds data or another run's lock ({LOCK_KEY})."
        )

    def clear(self):
        """Empty the database but for the lock and the marker."""
        keys = [key for key in self.client.scan_iter(count=1000) if key.decode() not in {LOCK_KEY, MARKER_KEY}]
        if keys:
            self.client.delete(*keys)
        self.client.set(MARKER_KEY, self.owner)

    def refresh(self):
        self.client.expire(LOCK_KEY, LOCK_SECONDS)

    def release(self):
        # Only this run has used the database since it was claimed. (The lock may be gone
        # if a test flushed the database; it is never another run's unless it expired.)
        if self.client.get(LOCK_KEY) in {None, self.owner.encode()}:
            self.client.flushdb()
        self.client.close()


def database_url_for(connection):
    """A DATABASE_URL for the test database pytest-django made, and whether another process can open it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            # Private to this process: the worker gets an empty database of its own, never var/'s.
            return "sqlite://:memory:", False
        return f"sqlite:///{Path(settings['NAME']).resolve()}", True
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "", safe="")
        password = quote(settings["PASSWORD"] or "", safe="")
        credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
        host = quote(settings["HOST"] or "", safe="")  # a socket directory is percent-encoded
        port = f":{settings['PORT']}" if settings["PORT"] else ""
        options = {key: value for key, value in settings.get("OPTIONS", {}).items() if isinstance(value, str | int)}
        query = f"?{urlencode(options)}" if options else ""
        return f"postgres://{credentials}{host}{port}/{quote(settings['NAME'], safe='')}{query}", True
    raise NotImplementedError(f"no DATABASE_URL for a {connection.vendor} test database")


@dataclass
class CeleryWorker:
    """A running ``celery worker`` subprocess, and how the test process reaches it."""

    process: subprocess.Popen
    nodename: str
    redis_url: str
    database_url: str
    shares_database: bool
    log_path: Path

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines=40):
        return "\n".join(self.log().splitlines()[-lines:])

    # Both go through the app's own producer pool (passing a connection is not enough:
    # the broadcast is still published through the pool), so point the app at our broker.
    def ping(self, timeout=0.5):
        with celery_conf(broker_url=self.redis_url):
            replies = celery_app.control.ping(destination=[self.nodename], timeout=timeout)
        return any(self.nodename in reply for reply in replies)

    def purge(self):
        with celery_conf(broker_url=self.redis_url):
            return celery_app.control.purge()

    def assert_running(self):
        if self.process.poll() is not None:
            pytest.fail(
                f"The Celery worker (pid {self.pid}) exited with {self.process.returncode}:\n{self.log_tail()}",
                pytrace=False,
            )

    def require_shared_database(self):
        if self.shares_database:
            return
        reason = "the worker cannot open this test database (SQLite in memory): set DATABASE_URL to PostgreSQL"
        if _truthy(os.environ.get("CI")):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)

    def stop(self):
        """SIGTERM (Celery's warm shutdown) to our own worker's pid, SIGKILL if it hangs."""
        if self.process.poll() is not None:
            return
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=WORKER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.process.wait(timeout=WORKER_STOP_TIMEOUT)


def _celery_command():
    celery = Path(sys.executable).with_name("celery")  # .venv/bin/celery beside .venv/bin/python
    return [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]


def _start_worker(
    redis_url, database_url, shares_database, log_path, settings_module="portal.settings.test", env_extra=None
):
    nodename = f"portal-integration-{os.getpid()}@{socket.gethostname()}"
    env = {
        **os.environ,
        **(env_extra or {}),
        "DJANGO_SETTINGS_MODULE": settings_module,
        # Read by the worker's settings: Redis broker and cache in the claimed database.
        "REDIS_URL": redis_url,
        "DATABASE_URL": database_url,
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
        env.pop(name, None)  # Celery lets these override the settings: keep to REDIS_URL
    command = [
        *_celery_command(),
        *("-A", "portal", "worker", "--pool=solo", "--without-mingle", "--without-gossip"),
        # Both queues, as production's worker: single notifications have their own.
        *("-l", "info", "-Q", "celery,notifications", "-n", nodename),
        *("--include", "tests.integration.tasks"),  # tasks that exist only for these tests
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = CeleryWorker(process, nodename, redis_url, database_url, shares_database, log_path)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while not worker.ping():
            worker.assert_running()
            if time.monotonic() > deadline:
                pytest.fail(
                    f"The Celery worker did not answer a ping within {WORKER_START_TIMEOUT} s:\n{worker.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.1)
    except BaseException:
        worker.stop()
        raise
    return worker


@pytest.fixture(scope="session")
def _integration_redis():
    base_url = require_services("A real Celery worker")
    try:
        claim = RedisDatabaseClaim.acquire(base_url)
    except redis.RedisError as error:
        pytest.fail(f"REDIS_URL is set but Redis does not answer: {error}", pytrace=False)
    yield claim
    claim.release()


@pytest.fixture(scope="session")
def _celery_worker(_integration_redis, django_db_setup, tmp_path_factory):
    # After django_db_setup, the connection names the test database, not the real one.
    database_url, shares_database = database_url_for(connections[DEFAULT_DB_ALIAS])
    log_path = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    worker = _start_worker(_integration_redis.url, database_url, shares_database, log_path)
    yield worker
    # Stopped before pytest-django drops the test database (it would refuse while in use).
    worker.stop()


@contextmanager
def celery_conf(**values):
    """Celery settings changed for a block, then restored.

    Not through ``override_settings``: Celery reads Django's settings once. Not through
    ``monkeypatch``: Celery's settings object cannot delete an attribute on undo.
    """
    conf = celery_app.conf
    saved = {name: getattr(conf, name) for name in values}
    for name, value in values.items():
        setattr(conf, name, value)
    _reset_broker_connections()
    try:
        yield conf
    finally:
        for name, value in saved.items():
            setattr(conf, name, value)
        _reset_broker_connections()


def _reset_broker_connections():
    # Celery keeps a broker connection pool and a producer pool bound to the URL it first
    # used; forget both (as Celery itself does after a fork) so the next send uses the new
    # URL. Not closed: kombu shares pools per URL, and reuses them when a URL comes back.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


# Fixtures (and the django_db marker's argument) under which a test's writes are committed.
COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _writes_stay_uncommitted(request):
    names = set(request.fixturenames)
    if names & COMMITTING_FIXTURES:
        return False
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        return not marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return "db" in names


@pytest.fixture
def celery_worker_process(request, _celery_worker, _integration_redis):
    """The session's real Celery worker, with this test's tasks and cache pointed at it."""
    if _writes_stay_uncommitted(request):
        pytest.fail(
            "celery_worker_process needs transactional_db, not db: the worker cannot see rows "
            "written inside a transaction that is never committed.",
            pytrace=False,
        )
    worker = _celery_worker
    worker.assert_running()
    _integration_redis.refresh()

    # REDIS_URL for /healthz's broker check, CACHES for django.core.cache.
    with (
        celery_conf(broker_url=worker.redis_url, task_always_eager=False),
        override_settings(REDIS_URL=worker.redis_url, CACHES=redis_cache_settings(worker.redis_url)),
    ):
        yield worker
        worker.purge()  # nothing queued by this test reaches the next one


@pytest.fixture
def celery_in_process():
    """The portal as it runs without REDIS_URL: tasks run in-process, the cache is local memory.

    Already the case when the test run has no REDIS_URL; recreated when it has one. The
    broker URL names a port where nothing listens, so reaching for a broker fails loudly.
    """
    with (
        celery_conf(task_always_eager=True, broker_url="redis://127.0.0.1:9/0"),
        override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}),
    ):
        yield


# --- A worker and beat on services the test breaks (tests/integration/faults.py) ------------------

OUTBOX_SETTINGS = "tests.integration.outbox_settings"
# Shortened so the tests run in seconds; production's are in portal/settings/base.py.
TIMINGS = {
    "NOTIFICATION_SENDING_TIMEOUT_SECONDS": "3",
    "OUTBOX_REHAND_AFTER_SECONDS": "5",
    "CELERY_VISIBILITY_TIMEOUT": "10",
    "NOTIFICATION_RETRY_BASE_SECONDS": "1",
    "NOTIFICATION_RETRY_MAX_SECONDS": "3",
    "REMINDER_SEND_DELAY_MS": "10",
}


@dataclass
class Rig:
    redis: PrivateRedis
    smtp: FakeSMTP
    proxy: TcpProxy
    database_url: str
    directory: Path
    worker: object = None
    beat: subprocess.Popen = None

    def env(self, **extra):
        return {**TIMINGS, "FAKE_SMTP_PORT": str(self.smtp.port), **extra}

    def start_worker(self, name="worker", **extra):
        self.worker = _start_worker(
            self.redis.url,
            self.database_url,
            True,
            self.directory / f"{name}.log",
            settings_module=OUTBOX_SETTINGS,
            env_extra=self.env(**extra),
        )
        return self.worker

    def start_beat(self):
        env = {**os.environ, **self.env(), "DJANGO_SETTINGS_MODULE": OUTBOX_SETTINGS, "REDIS_URL": self.redis.url}
        env["DATABASE_URL"] = self.database_url
        command = [*_celery_command(), "-A", "portal", "beat", "-l", "info", "-s", str(self.directory / "schedule")]
        with (self.directory / "beat.log").open("ab") as log:
            self.beat = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)

    def kill_worker(self):
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.process.wait(timeout=10)

    def stop(self):
        if self.worker is not None:
            self.worker.stop()
        if self.beat is not None and self.beat.poll() is None:
            os.kill(self.beat.pid, signal.SIGTERM)
            try:
                self.beat.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.beat.pid, signal.SIGKILL)
                self.beat.wait(timeout=10)

    def logs(self):
        return "\n".join(
            f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:])
            for path in sorted(self.directory.glob("*.log"))
        )


def through(proxy, database_url):
    parts = urlsplit(database_url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture(scope="module")
def rig(django_db_setup, django_db_blocker, tmp_path_factory):
    """A private Redis, a fake SMTP server, a cuttable database link; a worker and beat on them.

    One per test module, so a module's faults (a killed worker, a stopped Redis) stay its own.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    require(connection.vendor == "postgresql", "the worker fault tests need DATABASE_URL set to PostgreSQL")
    require(shutil.which("redis-server"), "the worker fault tests need redis-server installed")
    directory = tmp_path_factory.mktemp("worker-faults")
    database_url, _ = database_url_for(connection)
    settings = connection.settings_dict
    proxy = TcpProxy(settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432)
    redis_server = PrivateRedis(directory).start()
    smtp = FakeSMTP()
    rig = Rig(redis_server, smtp, proxy, through(proxy, database_url), directory)
    try:
        rig.start_worker()
        rig.start_beat()
        yield rig
    finally:
        smtp.released.set()  # a worker waiting on a stalled answer can then stop
        rig.stop()
        redis_server.stop()
        smtp.close()
        proxy.close()


@pytest.fixture
def faults(rig, transactional_db):
    """The rig for one test, with this process's cache and broker on its Redis, as a web server's would be."""
    rig.smtp.reset()
    cache = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": rig.redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 1},
        }
    }
    with (
        celery_conf(broker_url=rig.redis.url, task_always_eager=False),
        override_settings(REDIS_URL=rig.redis.url, CACHES=cache, OUTBOX_HAND_ON_COMMIT=False),
    ):
        forget_content_types.delay()  # queued ahead of anything this test sends the worker
        yield rig
    # What this test queued must not reach the next one (its rows are gone with the flush).
    client = rig.redis.client()
    client.delete("celery", "notifications")
    client.close()
