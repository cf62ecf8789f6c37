"""Who prepares a commission's attestation: the head of a department it examines, or the institution's administrator;
the technical secretary also runs webinars."""

from attestation.institutions.permissions import is_institution_admin
from commissions.models import Membership
from commissions.permissions import commission_role, heads_commission_department


def can_prepare(user, commission) -> bool:
    return user.is_authenticated and (
        heads_commission_department(user, commission) or is_institution_admin(user, commission.institution_id)
    )


def can_run_webinars(user, commission) -> bool:
    return can_prepare(user, commission) or commission_role(user, commission) == Membership.Role.SECRETARY
