"""Commissions, members, sittings and slots are read-only here: the portal's pages write them through the services,
which check what the law asks (R10 order date, R11 day length, R16 admission before a slot). /admin/ shows them."""

from django.contrib import admin

from attestation.core.admin_guard import ReadOnlyAdmin, ReadOnlyInline
from commissions.models import Commission, Membership, Sitting, Slot


class MembershipInline(ReadOnlyInline):
    model = Membership
    raw_id_fields = ("user",)


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
