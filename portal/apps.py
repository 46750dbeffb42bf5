from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal pages"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal import frontend_purge, page_cache_signals
        from portal.signin.signals import limit_privileged_session

        user_logged_in.connect(limit_privileged_session, dispatch_uid="portal_limit_privileged_session")
        page_cache_signals.connect()
        frontend_purge.connect()
