from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "partnerships.screening"
    label = "screening"
    verbose_name = "Decision tree screenings"
    default_auto_field = "django.db.models.BigAutoField"
