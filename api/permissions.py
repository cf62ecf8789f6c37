"""Who may manage the institution's API tokens: its administrators only."""

from attestation.institutions.models import Institution
from attestation.institutions.permissions import is_institution_admin


def can_manage_tokens(user, institution: Institution) -> bool:
    return is_institution_admin(user, institution.pk)
