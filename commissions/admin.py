from django.contrib import admin

from commissions.models import Commission, Membership, Sitting, Slot


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Commission)
class CommissionAdmin(admin.ModelAdmin):
    list_display = ("name_kk", "institution", "academic_year", "form", "order_number")
    inlines = [MembershipInline]


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ("commission", "date", "starts_at", "ends_at", "mode")


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Read-only: a student is placed only through commissions.services.slot_create (the admission check, the
    reminder) — by the planner, a manual move or an import — never by editing a row here."""

    list_display = ("student", "sitting", "starts_at", "status")
    raw_id_fields = ("student",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
