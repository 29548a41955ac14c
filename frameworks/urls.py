from django.urls import path

from frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.guide, name="guide"),
]
