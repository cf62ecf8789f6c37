from attestation.institutions.permissions import is_institution_admin


def can_invite_member(user, commission) -> bool:
    """The head of a department whose programme the commission examines, or the institution's administrator."""
    from commissions.permissions import heads_commission_department

    return user.is_authenticated and (
        heads_commission_department(user, commission) or is_institution_admin(user, commission.institution_id)
    )
