"""Tasks that exist only for the integration tests; the test worker imports them (--include)."""

from celery import shared_task
from celery.signals import task_prerun
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache


def group_report_key(name):
    return f"integration:group:{name}"


@shared_task
def report_group(name):
    """Look a group up in the worker's database and leave the answer in the shared cache."""
    found = Group.objects.filter(name=name).exists()
    cache.set(group_report_key(name), "found" if found else "missing", timeout=300)
    return found


@shared_task
def forget_content_types():
    """A flushed test database gives content types new ids: the worker must not keep the old ones."""
    ContentType.objects.clear_cache()


@task_prerun.connect
def _fresh_content_types(**kwargs):
    """Transactional tests flush the shared test database, which gives content types new ids.

    The worker outlives those flushes, so before each task it forgets the ids it cached.
    """
    ContentType.objects.clear_cache()
