from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from attestation.accounts.models import User
from attestation.accounts.services import user_access_set, user_password_changed, user_save
from attestation.core.admin_guard import ServiceAdmin


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Saved through user_save (the IIN's checksum and uniqueness, an audit entry with before and after, the
    password's hash never in it); an account is never deleted here (its grades, votes and signatures name it)."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Portal"), {"fields": ("patronymic", "preferred_language", "iin")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Portal"), {"fields": ("last_name", "first_name", "patronymic", "email", "iin")}),
    )
    list_display = ("username", "email", "last_name", "first_name", "is_staff")
    service_check = staticmethod(lambda user: user.full_clean(exclude=["password"]))  # hashed only on save
    service_save = staticmethod(user_save)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_related(self, request, form, formsets, change):
        """The groups and permissions go through user_access_set (audited), not the form's own save_m2m."""
        data = form.cleaned_data
        user_access_set(
            actor=request.user,
            user=form.instance,
            groups=data.get("groups") if "groups" in form.fields else None,
            permissions=data.get("user_permissions") if "user_permissions" in form.fields else None,
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user_password_changed(actor=request.user, user=self.get_object(request, unquote(id)))
        return response
