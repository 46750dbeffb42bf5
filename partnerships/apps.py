from django.apps import AppConfig


def _register_changed(sender, **kwargs):
    # Anything of this app may feed a public file (entries, partners, organisations,
    # priorities): rebuilding once too often costs a second, serving a stale file misleads.
    if getattr(getattr(sender, "_meta", None), "app_label", None) == "partnerships":
        from .public import prebuilt

        prebuilt.invalidate()


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnership register"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import published, unpublished

        for signal in (post_save, post_delete, m2m_changed, published, unpublished):
            signal.connect(_register_changed, dispatch_uid="partnerships-opendata-files")
