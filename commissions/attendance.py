"""Who of the commission is present at a sitting, and whether that makes a quorum.

The secretary records attendance before grading starts; grades and degree votes are refused until the voting
members present make the commission's quorum (REFERENCE.md: at least two-thirds), and an absent member neither
grades nor votes. The protocol lists the members present.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
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


def grading_refusal(*, sitting: Sitting, membership: Membership) -> str | None:
    """Why this member may not grade or vote at the sitting now, or None."""
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
