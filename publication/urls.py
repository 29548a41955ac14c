from django.urls import path

from publication import feeds, views, views_data, views_staff

app_name = "publication"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/feed/", feeds.new_publications, name="feed"),
    path("register/register.csv", views_data.register_csv, name="csv"),
    path("register/register.json", views_data.register_json, name="json"),
    path("register/<str:reference>/", views.summary, name="summary"),
    path("register/<str:reference>/easy-read/", views.easy_read, name="easy_read"),
    path("register/<str:reference>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("register/<str:reference>/easy-read.pdf", views.easy_read_pdf, name="easy_read_pdf"),
    path("register/<str:reference>/assessment.pdf", views.full_pdf, name="full_pdf"),
    path("register/<str:reference>/feedback/", views.feedback, name="feedback"),
    path("register/<str:reference>/feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("publication/<str:reference>/summary/", views_staff.summary_edit, name="summary_edit"),
    path("publication/<str:reference>/easy-read/", views_staff.easy_read_edit, name="easy_read_edit"),
    path("publication/<str:reference>/decision/", views_staff.decide, name="decide"),
    path("publication/<str:reference>/withdraw/", views_staff.withdraw, name="withdraw"),
    path("publication/<str:reference>/feedback/", views_staff.moderate, name="moderate"),
]
