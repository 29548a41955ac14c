"""Insight across assessments: the portfolio dashboard and the exports."""

urlpatterns: list = []
