from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<str:reference>/", views.assessment_detail, name="detail"),
    path("<str:reference>/details/", views.assessment_edit_details, name="edit_details"),
    path("<str:reference>/sections/<slug:section_key>/", views.section_edit, name="section"),
    path("<str:reference>/check/", views.check_answers, name="check"),
    path("<str:reference>/submit/", views.assessment_submit, name="submit"),
    path("<str:reference>/history/", views.assessment_history, name="history"),
]
