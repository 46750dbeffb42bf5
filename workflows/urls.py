"""Admin URLs of the approval workflow, under /admin/workflows/ (see wagtail_hooks)."""

from django.urls import path

from . import board_pack, views

app_name = "workflows"

urlpatterns = [
    path("decisions/", views.DecisionLogView.as_view(), name="decision_log"),
    path("emails-not-sent/", views.FailedNotificationsView.as_view(), name="failed_notifications"),
    path("deputy/", views.DeputyView.as_view(), name="deputy"),
    path("board-pack/", board_pack.board_pack, name="board_pack"),
    path("board-pack/pdf/", board_pack.board_pack_pdf, name="board_pack_pdf"),
]
