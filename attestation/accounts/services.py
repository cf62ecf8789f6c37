"""Accounts: invitations (an outside commission member gets a one-time link, sets a password and lands on the
commission) and the account saved from /admin/."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.accounts.models import Invitation, User
from attestation.core.audit import audit_record
from attestation.core.notifications import notify


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_send(*, actor, user: User, next_url: str = "", base_url: str = "") -> str:
    """Creates the invitation (only its hash is stored), e-mails the link; returns the link."""
    if not user.email:
        raise ValidationError(_("%(person)s has no e-mail address to invite.") % {"person": user})
    token = secrets.token_urlsafe(32)
    Invitation.objects.filter(user=user, used_at__isnull=True).update(expires_at=timezone.now())
    Invitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_by=actor,
        next_url=next_url,
        expires_at=timezone.now() + dt.timedelta(hours=settings.INVITATION_HOURS),
    )
    link = base_url + reverse("accept_invitation", args=[token])
    notify(
        user=user,
        kind="invitation",
        template="accounts/email/invitation",
        context={"user": user, "link": link, "hours": settings.INVITATION_HOURS, "inviter": actor},
    )
    audit_record(actor=actor, verb="invitation.send", obj=user)
    return link


def invitation_find(*, token: str) -> Invitation | None:
    """The usable invitation for a token: unused and not expired."""
    return (
        Invitation.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def invitation_unusable(*, token: str) -> Invitation | None:
    """The invitation a token names when it can no longer be used (already used, or expired), to say which."""
    return Invitation.objects.filter(token_hash=_hash(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Invitation:
    """Sets the password once; a second use or an expired link is refused."""
    invitation = invitation_find(token=token)
    if invitation is None:
        raise ValidationError(_("This invitation link has expired or was already used. Ask for a new one."))
    validate_password(password, invitation.user)
    claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
    if claimed != 1:
        raise ValidationError(_("This invitation link has expired or was already used. Ask for a new one."))
    invitation.user.set_password(password)
    invitation.user.save(update_fields=["password"])
    audit_record(actor=invitation.user, verb="invitation.accept", obj=invitation.user)
    return invitation


# The audit entry never carries the password's hash; it says whether the password changed.
USER_AUDIT_EXCLUDE = ("password", "last_login", "groups", "user_permissions")


def _user_snapshot(user: User) -> dict:
    return {k: str(v) for k, v in model_to_dict(user, exclude=USER_AUDIT_EXCLUDE).items()}


@transaction.atomic
def user_save(*, actor, instance: User) -> User:
    """Adds or changes an account (the IIN its signatures are checked against, its names, its flags): checked with
    the model's rules, audited with before and after — the password's hash never, only that it changed."""
    old = User.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance.full_clean()
    instance.save()
    after = _user_snapshot(instance)
    if old is not None and old.password != instance.password:
        after["password"] = "changed"  # noqa: S105 - a word for the audit trail, not a password
    verb = "user.update" if old is not None else "user.create"
    audit_record(actor=actor, verb=verb, obj=instance, before=_user_snapshot(old) if old else None, after=after)
    return instance


@transaction.atomic
def user_access_set(*, actor, user: User, groups=None, permissions=None) -> None:
    """Sets an account's groups and own permissions (from /admin/), audited with before and after when they change;
    None leaves that part as it is."""
    before = _access(user)
    if groups is not None:
        user.groups.set(groups)
    if permissions is not None:
        user.user_permissions.set(permissions)
    after = _access(user)
    if after != before:
        audit_record(actor=actor, verb="user.access", obj=user, before=before, after=after)


def _access(user: User) -> dict:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}" for app, codename in user.user_permissions.values_list("content_type__app_label", "codename")
        ),
    }


def user_password_changed(*, actor, user: User) -> None:
    """Records that someone set another account's password (in /admin/); never the password or its hash."""
    audit_record(actor=actor, verb="user.password_set", obj=user, after={"password": "changed"})
