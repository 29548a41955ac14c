"""Admins keep the names of the Integrated Care Systems and local authorities and which
system each authority belongs to."""

from django.contrib import admin

from places.models import IntegratedCareSystem, LocalAuthority


class LocalAuthorityInline(admin.TabularInline):
    model = LocalAuthority
    fields = ["gss_code", "name"]
    extra = 0
    show_change_link = True


@admin.register(IntegratedCareSystem)
class IntegratedCareSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "order"]
    list_editable = ["order"]
    inlines = [LocalAuthorityInline]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "ics"]
    list_filter = ["ics"]
    search_fields = ["name", "gss_code"]
    list_select_related = ["ics"]
