"""With the cache's Redis stopped or frozen, a decision waits on it at most once, and never on the broker.

A lead's submit and the Board's approval talk to Redis only to renew the public
generations (one write per transaction, portal/cache.py). The first request to find
Redis dead or frozen waits out one socket timeout; the requests after it do not touch
Redis at all until a background ping finds it back, and the broker is never used by a
request (the outbox relay hands the rows on). Once Redis answers again, the generations
renewed during the outage are written, so no page cached before the decisions is served.

Every command this process sends to the test's own redis-server is counted, by port.
"""

import shutil
import threading
from collections import Counter
from contextlib import contextmanager

import pytest
import redis.client
from django.core.cache import caches
from django.test import override_settings
from kombu.messaging import Producer

from partnerships.models import Partnership, ServiceArea
from partnerships.public import prebuilt
from portal import health, page_cache, roles
from tests.integration.conftest import celery_conf, require
from tests.integration.faults import PrivateRedis
from tests.workflows.factories import act, complete_proposal, form_data, login, url

pytestmark = pytest.mark.integration

GENERATIONS = (page_cache.GENERATION_KEY, prebuilt.GENERATION_KEY)


@pytest.fixture
def private_redis(tmp_path, transactional_db):
    """This process's cache and broker on a redis-server of the test's own, as a web server's would be."""
    require(shutil.which("redis-server"), "needs redis-server installed")
    server = PrivateRedis(tmp_path).start()
    cache = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3, "retry_after": 0.2},
        }
    }
    with (
        celery_conf(broker_url=server.url, task_always_eager=False),
        override_settings(REDIS_URL=server.url, CACHES=cache, OUTBOX_HAND_ON_COMMIT=False),
    ):
        yield server
    server.stop()


@contextmanager
def talk_to(port):
    """Counts what this thread sends to Redis on ``port`` (commands and pipelines), and every broker publish.

    Only this thread's: the cache's background ping is no request's wait.
    """
    sent = Counter()
    requests_thread = threading.current_thread()
    command, pipeline, publish = redis.client.Redis.execute_command, redis.client.Pipeline.execute, Producer.publish

    def to_port(client):
        on_port = client.connection_pool.connection_kwargs.get("port") == port
        return on_port and threading.current_thread() is requests_thread

    def counted_command(self, *args, **kwargs):
        sent["redis"] += to_port(self)
        return command(self, *args, **kwargs)

    def counted_pipeline(self, *args, **kwargs):
        sent["redis"] += to_port(self) and bool(self.command_stack)
        return pipeline(self, *args, **kwargs)

    def counted_publish(self, *args, **kwargs):
        sent["broker"] += 1
        return publish(self, *args, **kwargs)

    redis.client.Redis.execute_command = counted_command
    redis.client.Pipeline.execute = counted_pipeline
    Producer.publish = counted_publish
    try:
        yield sent
    finally:
        redis.client.Redis.execute_command = command
        redis.client.Pipeline.execute = pipeline
        Producer.publish = publish


def generations(server):
    client = server.client()
    try:
        return dict(zip(GENERATIONS, client.mget(made_keys()), strict=True))
    finally:
        client.close()


def made_keys():
    backend = caches["default"]
    return [backend.make_and_validate_key(key) for key in GENERATIONS]


def wait_until_back(wait_for):
    wait_for(lambda: not caches["default"].is_down, timeout=10, message="the cache to be used again")


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_each_request_waits_on_a_dead_cache_at_most_once_and_never_on_the_broker(
    outage, private_redis, portal_site, make_user, client, wait_for
):
    lead = make_user(roles.STAFF, roles.LEAD_OFFICERS, email="lee@council.example")
    head = make_user(roles.STAFF, roles.HEADS_OF_SERVICE, email="hannah@council.example")
    board = make_user(roles.STAFF, roles.MANAGEMENT_BOARD, email="bola@council.example")
    service_area = ServiceArea.objects.create(name="Outage services", head_of_service=head)
    login(client, lead)
    data = form_data(client.get(url("add")))
    data.update(complete_proposal(service_area, name=f"Proposed with Redis {outage}"), **{"action-submit": "1"})
    page_cache.current_generation(), prebuilt.generation()  # as on a site in use
    before = generations(private_redis)
    assert all(before.values())

    private_redis.stop() if outage == "stopped" else private_redis.freeze()
    try:
        with talk_to(private_redis.port) as first:
            assert client.post(url("add"), data).status_code == 302
        entry = Partnership.objects.get(name=data["name"])
        with talk_to(private_redis.port) as later:
            login(client, head)
            assert act(client, entry, "approve", comment="Endorsed.").status_code == 302
            login(client, board)
            assert act(client, entry, "approve", minute_reference="MB/9").status_code == 302
            assert client.get("/").status_code == 200
        checks = health.run_checks()
        assert health.overall(checks) == health.DEGRADED
        assert not checks["cache"]["ok"]
    finally:
        private_redis.thaw() if outage == "frozen" else private_redis.start()

    # The first request found Redis gone: one command, then no more, and nothing for the broker.
    assert first == Counter(redis=1, broker=0)
    assert later == Counter(redis=0, broker=0)
    entry.refresh_from_db()
    assert entry.live

    wait_until_back(wait_for)
    after = generations(private_redis)
    # Renewed during the outage, written before the cache was used again: no page
    # cached before the decisions is served once Redis is back (a stopped Redis comes
    # back empty, so there is nothing stale to serve; a frozen one keeps its pages).
    assert all(after.values())
    assert all(after[key] != before[key] for key in GENERATIONS)
