"""Who may see and act on appeals. The attestation commission sees that an appeal exists, nothing more."""

from appeals.models import Appeal, AppealCommission, AppealMember
from attestation.institutions.permissions import is_institution_admin
from commissions.models import Result


def is_appeal_member(user, appeal_commission_id: int) -> bool:
    return (
        user.is_authenticated and AppealMember.objects.filter(user=user, appeal_commission_id=appeal_commission_id).exists()
    )


def can_view_appeal(user, appeal: Appeal) -> bool:
    if not user.is_authenticated:
        return False
    return (
        appeal.result.slot.student.user_id == user.pk
        or is_appeal_member(user, appeal.appeal_commission_id)
        or is_institution_admin(user, appeal.appeal_commission.institution_id)
    )


def can_see_case_file(user, appeal: Appeal) -> bool:
    return is_appeal_member(user, appeal.appeal_commission_id) or is_institution_admin(
        user, appeal.appeal_commission.institution_id
    )


def can_open_case_records(user, appeal: Appeal) -> bool:
    """The answer sheets, acts and recordings of the case file open for the appeal commission's members only."""
    return is_appeal_member(user, appeal.appeal_commission_id)


def can_appeal(user, result: Result) -> bool:
    return user.is_authenticated and result.slot.student.user_id == user.pk


def can_view_appeal_commission(user, appeal_commission: AppealCommission) -> bool:
    return is_appeal_member(user, appeal_commission.pk) or is_institution_admin(user, appeal_commission.institution_id)


def can_appoint_appeal_commissions(user, institution) -> bool:
    """The appeal commission is appointed by order of the head of the institution (R8): its administrator enters it."""
    return is_institution_admin(user, institution.pk)
