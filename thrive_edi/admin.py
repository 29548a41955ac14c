"""Django admin for user accounts.

Admins manage a person's name, email, whether their account is on, and their one role; never
superuser or staff status, groups or single permissions, and never a password: they send a
link with which the person chooses it. Nobody changes their own role or switches off their own
account, and only superusers touch a superuser's record.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from thrive_edi.audit import log_security_event
from thrive_edi.roles import ROLE_DEFINITIONS, Role, user_roles
from thrive_edi.services import user_active_set, user_invite, user_role_set
from thrive_edi.tasks import send_password_reset_link

User = get_user_model()

OWN_RECORD_NOTE = "You cannot change your own role or switch off your own account: ask another Admin."
PASSWORD_NOTE = (
    "Nobody sets another person's password. To help someone who cannot sign in, tick them in the "
    "list of users and choose \u201cSend a link to choose a new password\u201d."
)
PASSWORD_SET_REFUSAL = "Admins do not set passwords: send a link to choose a new password instead."
RESET_LINK_SENT = "A link to choose a new password is on its way to {count} account(s)."
ROLE_CHOICES = [(role.value, ROLE_DEFINITIONS[role].group_name) for role in Role]


class AccountForm(forms.ModelForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True
        held = user_roles(self.instance) if self.instance.pk else frozenset()
        if "role" in self.fields and held:
            self.fields["role"].initial = next(role.value for role in Role if role in held)


class NewAccountForm(AccountForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountForm
    add_form = NewAccountForm
    add_form_template = None
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active", "groups")
    actions = ["send_password_reset_link"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["username", "first_name", "last_name", "email", "role"]})]
        own = obj.pk == request.user.pk
        return [
            (None, {"fields": ["username", "last_login", "date_joined"]}),
            ("Name and email", {"fields": ["first_name", "last_name", "email"]}),
            (
                "Access",
                {
                    "fields": ["is_active", "role"],
                    "description": OWN_RECORD_NOTE if own else PASSWORD_NOTE,
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        readonly = ["username", "last_login", "date_joined"]
        if obj.pk == request.user.pk:
            readonly += ["is_active", "role"]
        return readonly

    @admin.display(description="Role")
    def role(self, obj) -> str:
        held = user_roles(obj)
        return ", ".join(ROLE_DEFINITIONS[role].group_name for role in Role if role in held) or "None"

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.pk == request.user.pk:
            return False
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(PASSWORD_SET_REFUSAL)

    def save_model(self, request, obj, form, change) -> None:
        who = {"changed_by": request.user, "request": request}
        if not change:
            user_invite(user=obj, role=Role(form.cleaned_data["role"]), **who)
            return
        if "is_active" in form.fields:
            wanted_active, obj.is_active = obj.is_active, form.initial["is_active"]
        super().save_model(request, obj, form, change)
        if "is_active" in form.changed_data:
            user_active_set(user=obj, active=wanted_active, **who)
        if "role" in form.changed_data:
            user_role_set(user=obj, role=Role(form.cleaned_data["role"]), **who)

    @admin.action(description="Send a link to choose a new password", permissions=["change"])
    def send_password_reset_link(self, request, queryset) -> None:
        people = [user for user in queryset if user.email and user.is_active]
        for user in people:
            log_security_event("password_reset_link_sent", request=request, subject=user.get_username())
            email = user.email
            transaction.on_commit(lambda email=email: send_password_reset_link.enqueue(email=email))
        self.message_user(request, RESET_LINK_SENT.format(count=len(people)))
