from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from . import (
            cache_invalidation,
            tasks,  # noqa: F401 - tasks: registered with Celery, found there by name
        )

        cache_invalidation.connect()
