from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from . import cache_invalidation

        cache_invalidation.connect()
