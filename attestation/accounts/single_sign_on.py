"""The institution's single sign-on settings: read and saved by its administrator, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from attestation.accounts.models import SingleSignOn
from attestation.core.audit import audit_record
from attestation.institutions.models import Institution
from attestation.institutions.permissions import is_institution_admin

FIELDS = [f.name for f in SingleSignOn._meta.fields if f.name not in ("id", "institution")]


def single_sign_on_for(*, institution: Institution) -> SingleSignOn:
    """The institution's settings, or an unsaved disabled one."""
    return SingleSignOn.objects.filter(institution=institution).first() or SingleSignOn(institution=institution)


def single_sign_ons_enabled():
    """The sign-in buttons on the login page."""
    return SingleSignOn.objects.filter(enabled=True).select_related("institution").order_by("button_label")


def _snapshot(sso: SingleSignOn) -> dict:
    return {k: ("***" if k == "client_secret" else str(v)) for k, v in model_to_dict(sso, fields=FIELDS).items()}


@transaction.atomic
def single_sign_on_save(*, actor, institution: Institution, values: dict) -> SingleSignOn:
    """Creates or changes the institution's provider settings (the client secret never enters the audit trail)."""
    if not is_institution_admin(actor, institution.pk):
        raise ValidationError(_("Only the institution's administrator sets up its sign-in."))
    sso = single_sign_on_for(institution=institution)
    before = _snapshot(sso) if sso.pk else None
    for name, value in values.items():
        if name in FIELDS and not (name == "client_secret" and not value and sso.pk):
            setattr(sso, name, value)
    sso.full_clean()
    sso.save()
    audit_record(actor=actor, verb="single_sign_on.save", obj=sso, before=before, after=_snapshot(sso))
    return sso
