from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thrive_edi import metrics, views, views_preferences
from thrive_edi.forms import NewPasswordForm, ResetRequestForm, SignInForm
from thrive_edi.throttling import account_key, address_key, rate_limit

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("session/status/", views.session_status, name="session_status"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path(
        "sign-in/",
        rate_limit("sign_in", key=address_key)(
            auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True)
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        rate_limit("password_reset_address", key=address_key)(
            rate_limit("password_reset_account", key=account_key)(
                auth_views.PasswordResetView.as_view(form_class=ResetRequestForm)
            )
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/email/", views_preferences.email_settings, name="email_settings"),
    path("account/", include("thrive_edi.two_factor.urls")),
    path("framework/", include("frameworks.urls")),
    path("assessments/", include("assessments.urls")),
    path("", include("reporting.urls")),
    path("", include("publication.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "thrive_edi.views.bad_request"
handler403 = "thrive_edi.views.permission_denied"
handler404 = "thrive_edi.views.page_not_found"
handler500 = "thrive_edi.views.server_error"
