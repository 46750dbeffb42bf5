"""Celery tasks of the portal itself.

``heartbeat`` carries no business logic: it proves the wiring end to end. A
sender enqueues a token, whoever runs the task leaves it in the Django cache,
and the sender reads it back. The cache is Redis whenever ``REDIS_URL`` is set,
so a separate worker process and the sender see the same value.
"""

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_TIMEOUT = 5 * 60


def heartbeat_key(token):
    # One key per token, so concurrent heartbeats never overwrite each other.
    return f"portal:heartbeat:{token}"


@shared_task
def heartbeat(token):
    cache.set(heartbeat_key(token), token, timeout=HEARTBEAT_TIMEOUT)
    return token
