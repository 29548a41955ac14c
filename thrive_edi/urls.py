from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from thrive_edi import metrics
from thrive_edi.forms import NewPasswordForm, ResetRequestForm, SignInForm
from thrive_edi.throttling import account_key, address_key, rate_limit
from thrive_edi.views import pages, preferences

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("session/status/", pages.session_status, name="session_status"),
    path("session/keep-alive/", pages.session_keep_alive, name="session_keep_alive"),
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
    path("account/email/", preferences.email_settings, name="email_settings"),
    path("account/", include("thrive_edi.two_factor.urls")),
    path("framework/", include("frameworks.urls")),
    path("assessments/", include("assessments.urls")),
    path("assessments/", include("outcomes.urls")),
    path("", include("reporting.urls")),
    path("", include("pledges.urls")),
    path("", include("publication.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "thrive_edi.views.pages.bad_request"
handler403 = "thrive_edi.views.pages.permission_denied"
handler404 = "thrive_edi.views.pages.page_not_found"
handler500 = "thrive_edi.views.pages.server_error"
