from django.urls import path

from frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.guide, name="guide"),
    path("principles/<slug:key>/", views.principle, name="principle"),
    path("characteristics/<slug:key>/", views.characteristic, name="characteristic"),
    path("versions/<int:pk>/", views.version_guide, name="version_guide"),
    path("versions/<int:pk>/principles/<slug:key>/", views.version_principle, name="version_principle"),
    path(
        "versions/<int:pk>/characteristics/<slug:key>/",
        views.version_characteristic,
        name="version_characteristic",
    ),
]
