"""Reads on grades, votes and results, scoped to the person asking."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from attestation.core.collation import name_order
from commissions import permissions
from commissions.models import DissentingOpinion, MemberGrade, Membership, Result, Sitting, Slot, VoteRound


@dataclass
class SlotRow:
    """One student's line on the sitting's grading sheet."""

    slot: Slot
    grades: dict[int, MemberGrade] = field(default_factory=dict)
    result: Result | None = None
    vote_round: VoteRound | None = None


def sitting_get_for_user(*, user, pk: int) -> Sitting:
    """The sitting, for people on its commission only (404 for everyone else)."""
    sitting = Sitting.objects.select_related("commission__institution").filter(pk=pk).first()
    if sitting is None or not permissions.can_follow_grading(user, sitting):
        raise Http404
    return sitting


def voting_members(*, commission_id: int) -> list[Membership]:
    """The chair, then the members in the alphabet of the page's language."""
    return list(
        Membership.objects.filter(commission_id=commission_id)
        .exclude(role=Membership.Role.SECRETARY)
        .select_related("user")
        .order_by("role", *name_order("user__last_name", "user__first_name"))
    )


def commission_people(*, commission_id: int, language: str | None = None) -> list[Membership]:
    """Everyone on the commission (secretary included): chair, members, secretary, alphabetical within a role
    (in `language`'s alphabet, else the page's)."""
    return list(
        Membership.objects.filter(commission_id=commission_id)
        .select_related("user")
        .order_by("role", *name_order("user__last_name", "user__first_name", language=language))
    )


def slot_opinions(*, slot: Slot) -> list[DissentingOpinion]:
    return list(DissentingOpinion.objects.filter(slot=slot).select_related("membership__user").order_by("created_at", "pk"))


def sitting_sheet(*, sitting: Sitting) -> list[SlotRow]:
    """Every student of the sitting with the grades given, the result and the vote: a fixed number of queries."""
    slots = (
        sitting.slots.select_related("student__group", "result", "vote_round")
        .prefetch_related(Prefetch("member_grades", queryset=MemberGrade.objects.all()))
        .order_by("starts_at")
    )
    rows = []
    for slot in slots:
        rows.append(
            SlotRow(
                slot=slot,
                grades={g.membership_id: g for g in slot.member_grades.all()},
                result=getattr(slot, "result", None),
                vote_round=getattr(slot, "vote_round", None),
            )
        )
    return rows


def announced_results_for_student(*, user):
    """The student's own announced results, newest first."""
    return (
        Result.objects.filter(slot__student__user=user, announced_at__isnull=False)
        .select_related("slot__sitting__commission")
        .order_by("-announced_at")
    )


def public_results(*, sitting: Sitting):
    """What the site may show: the student number and the grade, no names; only announced results."""
    return (
        Result.objects.filter(slot__sitting=sitting, announced_at__isnull=False)
        .exclude(slot__student__record_number="")
        .select_related("slot__student")
        .order_by("slot__student__record_number")
    )


def result_letters(*, sitting: Sitting) -> dict[int, str]:
    """The letter grade of each student of the sitting with a recorded result, by slot id: one query."""
    return dict(Result.objects.filter(slot__sitting=sitting).values_list("slot_id", "letter"))
