from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from thrive_edi.roles import Role, has_role


class ThriveAdminSite(admin.AdminSite):
    site_header = "Thrive EDI administration"
    site_title = "Thrive EDI admin"
    index_title = "Framework, template, users and roles"

    def has_permission(self, request) -> bool:
        # Django's own rule (active staff) is not enough: only the Admin role may enter, and only
        # with a verified second factor (django-otp's OTPMiddleware puts is_verified on the user).
        user = request.user
        return user.is_active and user.is_staff and has_role(user, Role.ADMIN) and user.is_verified()


class ThriveAdminConfig(AdminConfig):
    default_site = "thrive_edi.admin_site.ThriveAdminSite"
