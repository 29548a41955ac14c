from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("pledge-report/", views.report_index, name="index"),
    path("pledge-report/<int:year>/", views.report, name="report"),
    path("pledge-report/<int:year>/pdf/", views.report_pdf, name="report_pdf"),
    path(
        "pledge-report/<int:year>/narrative/<int:pledge_id>/<int:number>/<slug:part>/",
        views.narrative_edit,
        name="narrative",
    ),
    path("pledge-report/<int:year>/sign-off/", views.sign_off, name="sign_off"),
    path("pledge-report/<int:year>/publish/", views.publish, name="publish"),
    path("register/pledge-report/<int:year>/", views.public_report, name="public_report"),
    path("register/pledge-report/<int:year>/pdf/", views.public_report_pdf, name="public_report_pdf"),
    path(
        "assessments/<str:reference>/commitments/",
        views.assessment_commitments,
        name="assessment_commitments",
    ),
]
