"""Staff invited by e-mail with their roles (issue 15): invite, re-send, revoke and accept, each audited.

The administrator invites anyone to the institution; a head of department invites to their own department, and
never a head of department or the registrar office. The e-mailed link works once, for the policy's
`staff_invitation_days`; only a hash of it is kept. Accepting sets a password (or leaves the sign-in to the
institution's own accounts) and gives the roles: a Staff row with `roles`, and the head of department and registrar
rows those roles need. The platform operator opens a new institution with its first administrator's invitation.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.models import StaffInvitation, User
from attestation.core.audit import audit_record
from attestation.institutions import permissions
from attestation.institutions.models import (
    STAFF_ROLES,
    Department,
    DepartmentHead,
    Institution,
    InstitutionAdmin,
    Policy,
    Registrar,
    Staff,
)
from attestation.institutions.policies import policy_find
from attestation.institutions.services import institution_create

REFUSALS = {
    "used": gettext_lazy("This invitation was already used."),
    "revoked": gettext_lazy("This invitation was withdrawn."),
    "expired": gettext_lazy("This invitation has expired."),
}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_validity(institution: Institution) -> dt.timedelta:
    """How long a link works: the policy in force, or the rules' default while the institution has no policy yet."""
    policy = policy_find(institution)
    days = policy.staff_invitation_days if policy else Policy._meta.get_field("staff_invitation_days").get_default()
    return dt.timedelta(days=days)


def _check_roles(*, actor, institution: Institution, department: Department | None, roles: list[str]) -> list[str]:
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    if unknown := [r for r in roles if r not in STAFF_ROLES]:
        raise ValidationError({"roles": _("Unknown roles: %(roles)s.") % {"roles": ", ".join(unknown)}})
    if department is not None and department.institution_id != institution.pk:
        raise ValidationError({"department": _("This department is not of this institution.")})
    if "head" in roles and department is None:
        raise ValidationError({"department": _("A head of department needs the department.")})
    if not permissions.can_invite_to(actor, institution, department):
        raise ValidationError(_("You may invite staff only to your own department."))
    if refused := [r for r in roles if not permissions.can_grant_staff_role(actor, institution, r)]:
        names = ", ".join(str(STAFF_ROLES[r]) for r in refused)
        raise ValidationError(
            {"roles": _("Only the institution's administrator gives these roles: %(roles)s.") % {"roles": names}}
        )
    return roles


def _send(invitation: StaffInvitation, *, token: str, base_url: str) -> str:
    """E-mails the link after commit, in the language chosen for the person; returns the link."""
    link = base_url + reverse("accept_staff_invitation", args=[token])
    roles = [STAFF_ROLES[r] for r in invitation.roles]
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": link, "roles": [str(r) for r in roles]}
        subject = " ".join(render_to_string("accounts/email/staff_invitation_subject.txt", context).split())
        body = render_to_string("accounts/email/staff_invitation_body.txt", context).strip()
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]))
    return link


def _new_token(invitation: StaffInvitation) -> str:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = _hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + invitation_validity(invitation.institution)
    return token


@transaction.atomic
def staff_invite(
    *,
    actor,
    institution: Institution,
    email: str,
    last_name: str,
    first_name: str,
    position: str,
    roles: list[str],
    patronymic: str = "",
    department: Department | None = None,
    is_administrative: bool = False,
    language: str = "kk",
    base_url: str = "",
) -> tuple[StaffInvitation, str]:
    """Invites a person by e-mail with their roles; an earlier open invitation of the same address is withdrawn.
    Returns the invitation and the link (e-mailed after commit)."""
    email = email.strip().lower()
    validate_email(email)
    roles = _check_roles(actor=actor, institution=institution, department=department, roles=roles)
    now = timezone.now()
    earlier = StaffInvitation.objects.filter(
        institution=institution, email__iexact=email, used_at__isnull=True, revoked_at__isnull=True
    )
    earlier.update(revoked_at=now)
    invitation = StaffInvitation(
        institution=institution,
        department=department,
        email=email,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
        position=position.strip(),
        roles=roles,
        is_administrative=is_administrative,
        language=language,
        created_by=actor,
        created_at=now,
    )
    token = _new_token(invitation)
    invitation.full_clean()
    invitation.save()
    audit_record(actor=actor, verb="staff.invite", obj=invitation, after={"email": email, "roles": roles})
    return invitation, _send(invitation, token=token, base_url=base_url)


@transaction.atomic
def staff_invitation_resend(*, actor, invitation: StaffInvitation, base_url: str = "") -> str:
    """A new link for an invitation not yet used nor withdrawn (an expired one too); the old link stops working."""
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at or invitation.revoked_at:
        raise ValidationError(REFUSALS[invitation.state(timezone.now())])
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit_record(
        actor=actor, verb="staff.invite_resend", obj=invitation, after={"expires_at": invitation.expires_at.isoformat()}
    )
    return _send(invitation, token=token, base_url=base_url)


@transaction.atomic
def staff_invitation_revoke(*, actor, invitation: StaffInvitation) -> None:
    """Withdraws an invitation not yet used: its link then says so."""
    claimed = StaffInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if claimed != 1:
        invitation.refresh_from_db()
        raise ValidationError(REFUSALS[invitation.state(timezone.now())])
    audit_record(actor=actor, verb="staff.invite_revoke", obj=invitation)


def staff_invitation_by_token(*, token: str) -> StaffInvitation | None:
    """The invitation a link names, in whatever state (the page says which)."""
    return StaffInvitation.objects.select_related("institution").filter(token_hash=_hash(token)).first()


def staff_invitation_account(invitation: StaffInvitation) -> User | None:
    """The portal account the invited address already has, if any."""
    return User.objects.filter(email__iexact=invitation.email).first()


def _grant(invitation: StaffInvitation, user: User) -> None:
    staff, _created = Staff.objects.get_or_create(
        user=user, institution=invitation.institution, defaults={"position": invitation.position}
    )
    staff.roles = sorted(set(staff.roles) | set(invitation.roles))
    staff.position = invitation.position or staff.position
    staff.department = invitation.department or staff.department
    staff.is_administrative = staff.is_administrative or invitation.is_administrative
    staff.save()
    if "head" in invitation.roles and invitation.department:
        DepartmentHead.objects.get_or_create(department=invitation.department, user=user)
    if "registrar" in invitation.roles:
        Registrar.objects.get_or_create(institution=invitation.institution, user=user)
    if "admin" in invitation.roles:
        InstitutionAdmin.objects.get_or_create(institution=invitation.institution, user=user)


@transaction.atomic
def staff_invitation_accept(*, token: str, password: str | None, signed_in=None) -> StaffInvitation:
    """Uses the link once: makes the account (or takes the address's existing one, whose owner must be signed in),
    sets the password unless the person signs in with the institution's accounts, and gives the roles."""
    invitation = StaffInvitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if (state := invitation.state(timezone.now())) != "open":
        raise ValidationError(REFUSALS[state])
    user = staff_invitation_account(invitation)
    if user is not None and user.has_usable_password() and user != signed_in:
        raise ValidationError(_("This address already has an account: sign in with it, then open the link again."))
    if user is None:
        user = User(
            username=invitation.email,
            email=invitation.email,
            last_name=invitation.last_name,
            first_name=invitation.first_name,
            patronymic=invitation.patronymic,
            preferred_language=invitation.language,
        )
        user.set_unusable_password()
    if password and not user.has_usable_password():
        validate_password(password, user)
        user.set_password(password)
    user.save()
    _grant(invitation, user)
    invitation.used_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["used_at", "user"])
    audit_record(actor=user, verb="staff.invite_accept", obj=invitation, after={"roles": invitation.roles})
    return invitation


@transaction.atomic
def institution_open(
    *, actor, institution_values: dict, admin_email: str, admin_last_name: str, admin_first_name: str, base_url: str = ""
) -> tuple[Institution, str]:
    """The platform operator opens an institution (its policy and grade scale with the documents' defaults) and
    invites its first administrator; returns the institution and the invitation's link."""
    if not permissions.can_create_institution(actor):
        raise ValidationError(_("Only the platform operator opens a new institution."))
    institution = institution_create(actor=actor, **institution_values)
    _invitation, link = staff_invite(
        actor=actor,
        institution=institution,
        email=admin_email,
        last_name=admin_last_name,
        first_name=admin_first_name,
        position=str(STAFF_ROLES["admin"]),
        roles=["admin"],
        language=translation.get_language() or "kk",
        base_url=base_url,
    )
    return institution, link
