"""The decision tree's routes, included at ``/intranet/decision-tree/`` before Wagtail's catch-all."""

from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.start, name="start"),
    path("start/", views.begin, name="begin"),
    path("name/", views.name, name="name"),
    path("questions/<slug:code>/", views.question, name="question"),
    path("check-your-answers/", views.check, name="check"),
    path("results/", views.records, name="records"),
    path("results/<int:pk>/", views.record, name="record"),
]
