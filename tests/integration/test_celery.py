"""The Celery wiring, both ways the portal runs: a real worker on Redis, or in-process."""

import uuid

import pytest
from celery.result import EagerResult
from django.contrib.auth.models import Group
from django.core.cache import cache

from portal.tasks import heartbeat, heartbeat_key
from tests.integration.tasks import group_report_key, report_group

pytestmark = pytest.mark.integration


def test_a_real_worker_runs_the_task_sent_through_redis(celery_worker_process, wait_for):
    token = uuid.uuid4().hex

    result = heartbeat.delay(token)

    assert not isinstance(result, EagerResult)
    wait_for(
        lambda: cache.get(heartbeat_key(token)) == token,
        timeout=10,
        message=lambda: f"the worker to store heartbeat {token}; its log:\n{celery_worker_process.log_tail()}",
    )
    # The worker, not this process, ran it.
    wait_for(
        lambda: f"Task portal.tasks.heartbeat[{result.id}] succeeded" in celery_worker_process.log(),
        timeout=5,
        message="the worker to log the task's success",
    )


def test_without_a_broker_the_task_runs_in_process(celery_in_process):
    token = uuid.uuid4().hex

    result = heartbeat.delay(token)

    assert isinstance(result, EagerResult)
    assert result.get(timeout=1) == token
    assert cache.get(heartbeat_key(token)) == token


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_what_the_test_committed(celery_worker_process, wait_for):
    celery_worker_process.require_shared_database()
    name = f"integration-{uuid.uuid4().hex}"
    Group.objects.create(name=name)  # committed at once: a transactional test

    report_group.delay(name)

    answer = wait_for(
        lambda: cache.get(group_report_key(name)),
        timeout=10,
        message=lambda: f"the worker to look up group {name}; its log:\n{celery_worker_process.log_tail()}",
    )
    assert answer == "found"
