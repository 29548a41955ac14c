from django.urls import path, re_path

from reporting.views import board, insight

app_name = "reporting"

urlpatterns = [
    path("board/", board.portal, name="portal"),
    path("board/packs/", board.pack_list, name="packs"),
    path("board/packs/new/", board.pack_create, name="pack_create"),
    path("board/packs/<int:pk>/pdf/", board.pack_pdf, name="pack_pdf"),
    path("board/assessments/<str:reference>/", board.board_assessment, name="board_assessment"),
    path("board/assessments/<str:reference>/feedback/", board.feedback_add, name="feedback_add"),
    path("board/feedback/<int:pk>/respond/", board.feedback_respond, name="feedback_respond"),
    path("assessments/<str:reference>/pdf/", board.assessment_pdf, name="assessment_pdf"),
    path("assessments/<str:reference>/outcomes/pdf/", board.outcome_review_pdf, name="outcome_review_pdf"),
    path("verify/", board.verify, name="verify"),
    # Insight across assessments: the portfolio dashboard and the exports.
    path("dashboard/", insight.dashboard, name="dashboard"),
    path("exports/", insight.export_list, name="exports"),
    re_path(
        r"^exports/(?P<dataset>assessments|impacts|actions)\.(?P<file_format>csv|xlsx)$",
        insight.export_table,
        name="export_table",
    ),
    path("exports/assessments/<str:reference>.json", insight.export_assessment, name="export_assessment"),
]
