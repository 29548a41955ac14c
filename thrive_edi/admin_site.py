from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from thrive_edi.roles import Role, has_role


class ThriveAdminSite(admin.AdminSite):
    site_header = "Thrive EDI administration"
    site_title = "Thrive EDI admin"
    index_title = "Framework, template, users and roles"

    def has_permission(self, request) -> bool:
        from thrive_edi.two_factor.policy import second_factor_owed  # needs the models: not at app loading

        # Django's own rule (active staff) is not enough: only the Admin role may enter, and only
        # with a verified second factor (the demo admin, only while DEBUG is on, without).
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and has_role(user, Role.ADMIN)
            and second_factor_owed(request) is None
        )


class ThriveAdminConfig(AdminConfig):
    default_site = "thrive_edi.admin_site.ThriveAdminSite"
