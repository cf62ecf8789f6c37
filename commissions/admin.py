"""Commissions, members, sittings and slots are read-only here: the portal's pages write them through the services,
which check what the law asks (R10 order date, R11 day length, R16 admission before a slot). /admin/ shows them."""

from django.contrib import admin

from commissions.models import Commission, Membership, Sitting, Slot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = ("name_kk", "institution", "academic_year", "form", "order_number")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "commission", "role")
    list_select_related = ("user", "commission")


@admin.register(Sitting)
class SittingAdmin(ReadOnlyAdmin):
    list_display = ("commission", "date", "starts_at", "ends_at", "mode")


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    """Read-only: a student is placed only through commissions.services.slot_create (the admission check, the
    reminder) — by the planner, a manual move or an import — never by editing a row here."""

    list_display = ("student", "sitting", "starts_at", "status")
    list_select_related = ("student", "sitting")
    raw_id_fields = ("student",)
