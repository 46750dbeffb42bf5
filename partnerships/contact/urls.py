from django.urls import path

from . import views

urlpatterns = [
    path("report-a-problem/<slug:slug>/", views.report_problem, name="report_problem"),
    path("report-a-problem/<slug:slug>/sent/", views.report_problem_sent, name="report_problem_sent"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/sent/", views.feedback_sent, name="feedback_sent"),
]
