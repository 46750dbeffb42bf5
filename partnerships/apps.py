from django.apps import AppConfig


def invalidating_public_files(invalidate):
    """A signal handler that drops the prebuilt public files when anything of this app changes."""

    def register_changed(sender, **kwargs):
        # Anything of this app may feed a public file (entries, partners, organisations,
        # priorities): rebuilding once too often costs a second, serving a stale file misleads.
        if getattr(getattr(sender, "_meta", None), "app_label", None) == "partnerships":
            invalidate()

    return register_changed


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import published, unpublished

        from . import tasks  # noqa: F401 - tasks: registered with Celery, found there by name
        from .public import prebuilt

        handler = invalidating_public_files(prebuilt.invalidate)
        for signal in (post_save, post_delete, m2m_changed, published, unpublished):
            signal.connect(handler, weak=False, dispatch_uid="partnerships-opendata-files")
