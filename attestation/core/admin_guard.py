"""/admin/ never goes around the services (STYLE: services write, with their check, message and audit entry).

A model that carries a rule is either shown read-only here (`ReadOnlyAdmin`, `ReadOnlyInline`: no add, change or
delete — the portal's pages and services make and change it) or saved here through its service (`ServiceAdmin`: the
form runs the service's check and shows its message, the save and the delete call the service, which writes the
audit entry; see also appeals.admin.AppealCommissionAdmin). `attestation/tests/test_admin_guard.py` walks every
registered ModelAdmin.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written: the portal's own pages and services make and change these rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Saved and deleted here only through the model's service: the form runs the service's own check (its
    message shown on the form), the save and the delete call the service (its audit entry names who did it, with
    the row before and after). Subclasses set, as `staticmethod`s: `service_check(instance)` (raises
    ValidationError), `service_save(*, actor, instance)`, `service_delete(*, actor, instance)` and
    `service_dependents(instance)` (the delete service's reasons to refuse, one line each)."""

    service_check: Callable[[Any], None] = staticmethod(lambda instance: instance.full_clean())
    service_save: Callable[..., object]
    service_delete: Callable[..., object]
    service_dependents: Callable[[Any], list[str]] = staticmethod(lambda instance: [])

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (ServiceChecked, form), {"service_check": staticmethod(self.service_check)})

    def save_model(self, request, obj, form, change):
        self.service_save(actor=request.user, instance=obj)

    def delete_model(self, request, obj):
        self.service_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one row at a time, each through the delete service's check
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        blocking = self.service_dependents(obj) if obj is not None else []
        if blocking:
            self.message_user(request, "; ".join(blocking), messages.ERROR)
            opts = self.opts
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)


class ServiceChecked(forms.ModelForm):
    """Runs the service's check on the instance the form built, after Django's own validation."""

    service_check: Callable[[Any], None]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.service_check(self.instance)
        except ValidationError as exc:
            self._update_errors(exc)
