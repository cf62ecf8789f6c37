"""Who of the commission is present at a sitting, and whether that makes a quorum.

The secretary records attendance before grading starts; grades and degree votes are refused until the voting
members present make the commission's quorum (REFERENCE.md: at least two-thirds), and an absent member neither
grades nor votes. The protocol lists the members present.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.institutions.policies import policy_for
from commissions.models import (
    Attendance,
    Commission,
    EncryptedBallot,
    MemberGrade,
    Membership,
    OpenVote,
    Result,
    Sitting,
)


@dataclass(frozen=True)
class Quorum:
    """The attendance of a sitting as the grading page and the services see it."""

    recorded: bool
    present_ids: frozenset[int]
    voting: int
    present_voting: int
    needed: int

    @property
    def met(self) -> bool:
        return self.recorded and self.voting > 0 and self.present_voting >= self.needed


def quorum_needed(*, numerator: int, denominator: int, voting: int) -> int:
    """The fewest voting members present that make the quorum: ceil(voting × numerator / denominator)."""
    return -(-voting * numerator // denominator)


def sitting_quorum(*, sitting: Sitting) -> Quorum:
    """The sitting's recorded attendance against its commission's current quorum (three queries)."""
    numerator, denominator = (
        Commission.objects.filter(pk=sitting.commission_id).values_list("quorum_numerator", "quorum_denominator").get()
    )
    roles = dict(Membership.objects.filter(commission_id=sitting.commission_id).values_list("pk", "role"))
    rows = list(Attendance.objects.filter(sitting=sitting).values_list("membership_id", "present"))
    present = frozenset(pk for pk, is_present in rows if is_present)
    voting = [pk for pk, role in roles.items() if role != Membership.Role.SECRETARY]
    return Quorum(
        recorded=bool(rows),
        present_ids=present,
        voting=len(voting),
        present_voting=sum(1 for pk in voting if pk in present),
        needed=quorum_needed(numerator=numerator, denominator=denominator, voting=len(voting)),
    )


def present_voting_ids(*, sitting: Sitting) -> set[int]:
    """Voting memberships marked present at the sitting."""
    return set(
        Attendance.objects.filter(sitting=sitting, present=True)
        .exclude(membership__role=Membership.Role.SECRETARY)
        .values_list("membership_id", flat=True)
    )


def formation_refusal(*, commission_id: int) -> str | None:
    """Why the commission is not formed yet, or None: it needs a chair, members (with the chair, the voting members
    whose quorum the policy counts) and a secretary before a sitting opens or a grade or vote is recorded."""
    roles = set(Membership.objects.filter(commission_id=commission_id).values_list("role", flat=True))
    missing = [
        label
        for role, label in (
            (Membership.Role.CHAIR, _("a chair")),
            (Membership.Role.MEMBER, _("members")),
            (Membership.Role.SECRETARY, _("a technical secretary")),
        )
        if role not in roles
    ]
    if not missing:
        return None
    return _(
        "The commission is not formed: it has no %(missing)s. A sitting opens, and grades and votes are recorded, "
        "only when the commission has its chair, members and technical secretary."
    ) % {"missing": ", ".join(str(m) for m in missing)}


def advisers(*, slot) -> dict[int, str]:
    """Where the policy says so (default on): the commission's memberships of the thesis's supervisor and reviewer
    at its defense, with why each may not grade or vote on it; empty otherwise."""
    commission = slot.sitting.commission
    if commission.form != Commission.Form.DEFENSE or not policy_for(commission).thesis_advisers_may_not_grade:
        return {}
    thesis = apps.get_model("admission", "Thesis").objects.filter(student_id=slot.student_id).first()
    if thesis is None:
        return {}
    roles = {thesis.supervisor_id: _("the supervisor"), thesis.reviewer_id: _("the external reviewer")}
    return {
        m.pk: roles[m.user_id] for m in Membership.objects.filter(commission=commission, user_id__in=[u for u in roles if u])
    }


def adviser_refusal(*, slot, membership: Membership) -> str | None:
    """The thesis's supervisor or reviewer does not grade or vote on its defense as a commission member; the refusal
    names the person and why (and slot_commission_grade does not wait for their grade)."""
    why = advisers(slot=slot).get(membership.pk)
    if why is None:
        return None
    return _("%(name)s is %(why)s of this thesis and does not grade or vote on its defense (the institution's policy).") % {
        "name": membership.user.display_name,
        "why": why,
    }


def grading_refusal(*, sitting: Sitting, membership: Membership) -> str | None:
    """Why this member may not grade or vote at the sitting now, or None."""
    unformed = formation_refusal(commission_id=sitting.commission_id)
    if unformed:
        return unformed
    quorum = sitting_quorum(sitting=sitting)
    if not quorum.recorded:
        return _("The secretary has not yet recorded which members are present; grading starts after that.")
    if not quorum.met:
        return _(
            "Only %(present)s of %(voting)s voting members are present; the commission needs %(needed)s for a quorum."
        ) % {"present": quorum.present_voting, "voting": quorum.voting, "needed": quorum.needed}
    if membership.pk not in quorum.present_ids:
        return _("You are recorded as absent from this sitting; an absent member neither grades nor votes.")
    return None


def _took_part(sitting: Sitting) -> set[int]:
    graded = MemberGrade.objects.filter(slot__sitting=sitting).values_list("membership_id", flat=True)
    voted = OpenVote.objects.filter(round__slot__sitting=sitting).values_list("membership_id", flat=True)
    secret = EncryptedBallot.objects.filter(round__slot__sitting=sitting).values_list("membership_id", flat=True)
    return set(graded) | set(voted) | set(secret)


@transaction.atomic
def attendance_record(*, actor, sitting: Sitting, present_ids) -> list[Attendance]:
    """The secretary (or the chair) records who of the commission is present; it may be re-recorded until the
    results are announced, but a member who has already graded or voted at the sitting cannot be marked absent."""
    if not Membership.objects.filter(
        commission_id=sitting.commission_id, user=actor, role__in=[Membership.Role.SECRETARY, Membership.Role.CHAIR]
    ).exists():
        raise ValidationError(_("Only the secretary or the chair records who is present."))
    unformed = formation_refusal(commission_id=sitting.commission_id)
    if unformed:  # recording who is present opens the sitting
        raise ValidationError(unformed, code="unformed")
    Sitting.objects.select_for_update().filter(pk=sitting.pk).first()
    if Result.objects.filter(slot__sitting=sitting, announced_at__isnull=False).exists():
        raise ValidationError(_("The results of this sitting are announced; attendance can no longer change."))
    memberships = list(Membership.objects.filter(commission_id=sitting.commission_id).select_related("user"))
    present = {int(pk) for pk in present_ids}
    strangers = present - {m.pk for m in memberships}
    if strangers:
        raise ValidationError(_("Only members of this commission can be marked present; nothing was recorded."))
    took_part = _took_part(sitting)
    leaving = [m for m in memberships if m.pk in took_part and m.pk not in present]
    if leaving:
        raise ValidationError(
            _("%(names)s already graded or voted at this sitting and cannot be marked absent.")
            % {"names": ", ".join(m.user.display_name for m in leaving)}
        )
    before = sorted(Attendance.objects.filter(sitting=sitting, present=True).values_list("membership_id", flat=True))
    now, rows = timezone.now(), []
    for membership in memberships:
        row, _created = Attendance.objects.update_or_create(
            sitting=sitting,
            membership=membership,
            defaults={"present": membership.pk in present, "recorded_by": actor, "recorded_at": now},
        )
        rows.append(row)
    audit_record(
        actor=actor, verb="attendance.record", obj=sitting, before={"present": before}, after={"present": sorted(present)}
    )
    return rows
