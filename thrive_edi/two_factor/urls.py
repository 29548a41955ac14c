from django.urls import path

from thrive_edi.two_factor import views

app_name = "account"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/set-up/", views.set_up, name="set_up"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/turn-off/", views.turn_off, name="turn_off"),
    path("sign-in/code/", views.verify, name="verify"),
]
