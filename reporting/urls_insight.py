"""Insight across assessments: the portfolio dashboard and the exports."""

from django.urls import path, re_path

from reporting import views_insight

urlpatterns: list = [
    path("dashboard/", views_insight.dashboard, name="dashboard"),
    path("exports/", views_insight.export_list, name="exports"),
    re_path(
        r"^exports/(?P<dataset>assessments|impacts|actions)\.(?P<file_format>csv|xlsx)$",
        views_insight.export_table,
        name="export_table",
    ),
    path(
        "exports/assessments/<str:reference>.json", views_insight.export_assessment, name="export_assessment"
    ),
]
