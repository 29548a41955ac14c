from django.urls import path

from reporting import views
from reporting.urls_insight import urlpatterns as insight_urlpatterns

app_name = "reporting"

urlpatterns = [
    path("board/", views.portal, name="portal"),
    path("board/packs/", views.pack_list, name="packs"),
    path("board/packs/new/", views.pack_create, name="pack_create"),
    path("board/packs/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("board/assessments/<str:reference>/", views.board_assessment, name="board_assessment"),
    path("board/assessments/<str:reference>/feedback/", views.feedback_add, name="feedback_add"),
    path("board/feedback/<int:pk>/respond/", views.feedback_respond, name="feedback_respond"),
    path("assessments/<str:reference>/pdf/", views.assessment_pdf, name="assessment_pdf"),
    path("verify/", views.verify, name="verify"),
    *insight_urlpatterns,
]
