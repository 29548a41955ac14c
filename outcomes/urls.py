from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("<str:reference>/outcomes/", views.review, name="review"),
    path("<str:reference>/outcomes/sign-off/", views.sign_off, name="sign_off"),
    path("<str:reference>/outcomes/return/", views.return_for_changes, name="return"),
]
