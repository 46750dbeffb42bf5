"""The import's admin URLs, under ``partnerships/import/`` in the ``partnerships_import`` namespace (``viewset``)."""

from django.urls import path

from .history_views import HistoryFileView, HistoryView
from .mapping_views import MappingView
from .views import CancelView, ConfirmView, DownloadView, ProgressView, UploadView

urlpatterns = [
    path("", UploadView.as_view(), name="upload"),
    path("history/", HistoryView.as_view(), name="history"),
    path("history/<uuid:token>/file/", HistoryFileView.as_view(), name="history_file"),
    path("<uuid:token>/columns/", MappingView.as_view(), name="columns"),
    path("<uuid:token>/confirm/", ConfirmView.as_view(), name="confirm"),
    path("<uuid:token>/cancel/", CancelView.as_view(), name="cancel"),
    path("<uuid:token>/", ProgressView.as_view(), name="progress"),
    *(path(f"{name.replace('_', '.')}", DownloadView.as_view(which=name), name=name) for name in DownloadView.files),
]
