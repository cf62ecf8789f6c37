"""Who may see and do what on commissions, sittings and slots."""

from attestation.institutions.models import DepartmentHead
from attestation.institutions.permissions import is_institution_admin, is_registrar
from commissions.models import Commission, Membership, Slot


def commission_role(user, commission: Commission) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, commission=commission).values_list("role", flat=True).first()


def heads_commission_department(user, commission: Commission) -> bool:
    return DepartmentHead.objects.filter(
        user=user, department__programmes__commissions=commission
    ).exists()


def can_view_commission(user, commission: Commission) -> bool:
    if not user.is_authenticated:
        return False
    return (
        commission_role(user, commission) is not None
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
        or is_registrar(user, commission.institution_id)
    )


def can_manage_schedule(user, commission: Commission) -> bool:
    return (
        commission_role(user, commission) == Membership.Role.SECRETARY
        or heads_commission_department(user, commission)
        or is_institution_admin(user, commission.institution_id)
    )


def can_view_slot(user, slot: Slot) -> bool:
    if not user.is_authenticated:
        return False
    if slot.student.user_id == user.pk:
        return True
    return can_view_commission(user, slot.sitting.commission)
