"""Mounted under /admin/partnerships/backfill/ by wagtail_hooks.py."""

from django.urls import path

from .views import BackfillView

app_name = "partnerships_backfill"

urlpatterns = [path("<int:pk>/", BackfillView.as_view(), name="record")]
