"""Writes of the API app: issuing and revoking tokens, and recording each call. Audited, atomic."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Scope
from api.permissions import can_manage_tokens
from attestation.core.audit import audit_record
from attestation.institutions.models import Institution

TOKEN_PREFIX = "atp"  # noqa: S105 - the visible start of every token, not a secret


def secret_hash(secret: str) -> str:
    """The only form in which a token's secret is kept (a random 256-bit secret needs no slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor, institution: Institution, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """Issues a token; returns it with its secret, which is shown once and never stored."""
    if not can_manage_tokens(actor, institution):
        raise ValidationError(_("Only the institution's administrator issues API tokens."))
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError(_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    if not scopes:
        raise ValidationError(_("Choose at least one scope."))
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        institution=institution,
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash(secret),
        scopes=sorted(set(scopes)),
        created_by=actor,
        created_at=timezone.now(),
    )
    token.full_clean()
    token.save()
    audit_record(actor=actor, verb="api.token_create", obj=token, after={"name": token.name, "scopes": token.scopes})
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revokes a token at once; a revoked token stays listed so the audit trail keeps its name."""
    if not can_manage_tokens(actor, token.institution):
        raise ValidationError(_("Only the institution's administrator revokes API tokens."))
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=actor):
        audit_record(actor=actor, verb="api.token_revoke", obj=token)
    token.refresh_from_db()
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, or None. Marks it used."""
    if not secret.startswith(f"{TOKEN_PREFIX}_") or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("institution")
        .filter(secret_hash=secret_hash(secret), revoked_at__isnull=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def call_record(*, token: ApiToken, method: str, path: str, status: int) -> None:
    """One audit event per API call: which token, what, and the answer's status."""
    audit_record(
        actor=None,
        verb="api.call",
        obj=token,
        after={"token": token.prefix, "method": method, "path": path[:300], "status": status},
    )
