"""Reads on commissions and the schedule, scoped to the person asking."""

from django.db.models import Prefetch
from django.http import Http404

from attestation.core.collation import name_order
from commissions import permissions
from commissions.models import Commission, Membership, Sitting, Slot


def slots_for_student(*, user):
    """The student's own schedule, oldest first; nobody else's."""
    return Slot.objects.filter(student__user=user).select_related("sitting__commission__institution").order_by("starts_at")


def slot_get_for_user(*, user, pk: int) -> Slot:
    slot = Slot.objects.select_related("student", "sitting__commission").filter(pk=pk).first()
    if slot is None or not permissions.can_view_slot(user, slot):
        raise Http404
    return slot


def commission_get_for_user(*, user, pk: int) -> Commission:
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or not permissions.can_view_commission(user, commission):
        raise Http404
    return commission


def commission_members(*, commission: Commission) -> list[Membership]:
    """Chair, members, secretary; within a role in the alphabet of the page's language (Kazakh or Russian)."""
    return list(
        commission.memberships.select_related("user").order_by(
            "role", *name_order("user__last_name", "user__first_name", "user__patronymic")
        )
    )


def commission_sittings(*, commission: Commission) -> list[Sitting]:
    """Sittings with their slots and students: a fixed number of queries however many students."""
    slots = Slot.objects.select_related("student__group").order_by("starts_at")
    return list(commission.sittings.prefetch_related(Prefetch("slots", queryset=slots)).order_by("date", "starts_at"))


def commissions_for_user(*, user):
    return (
        Membership.objects.filter(user=user)
        .select_related("commission")
        .order_by("-commission__academic_year", "commission__name_kk")
    )


def commissions_of_department(*, department) -> list[Commission]:
    """The commissions examining the department's programmes, with their members and invitation state."""
    members = Membership.objects.select_related("user").prefetch_related("user__invitations").order_by("role")
    return list(
        Commission.objects.filter(programmes__department=department)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("-academic_year", "name_kk")
    )
