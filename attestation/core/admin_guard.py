"""/admin/ never goes around the services (STYLE: services write, with their check, message and audit entry).

A model that carries a rule is either shown read-only here (`ReadOnlyAdmin`, `ReadOnlyInline`: no add, change or
delete — the portal's pages and services make and change it) or saved here through its service (see
appeals.admin.AppealCommissionAdmin). `attestation/tests/test_admin_guard.py` walks every registered ModelAdmin.
"""

from django.contrib import admin


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
