import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from commissions import attendance
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.grading.ballot_member import members_take_part
from commissions.models import Commission, MemberGrade, Membership, Result, Slot, VoteRound
from portal.demo import DEMO_ABSENT, demo_clock


def _points(slot_pk: int, membership_pk: int) -> int:
    """Plausible, repeatable points: 58-99, members of one commission a few points apart."""
    return 58 + (slot_pk * 7 + membership_pk * 3) % 42


class Command(BaseCommand):
    help = (
        "Grades each demo sitting already held (the first ones, on the last working day), holds its degree votes "
        "and announces it, each step at the moment it happened in the sitting; the sittings to come stay ungraded "
        "for trying it in the browser. Safe to run again."
    )

    def handle(self, *args, **options):
        commissions = Commission.objects.filter(memberships__role=Membership.Role.CHAIR).distinct()
        for commission in commissions:
            for sitting in commission.sittings.order_by("date", "starts_at"):
                if sitting.bounds(commission.institution.time_zone)[1] < timezone.now():
                    with transaction.atomic():
                        self._sitting(commission, sitting)
        self.stdout.write(
            self.style.SUCCESS(
                f"Results: {Result.objects.filter(announced_at__isnull=False).count()} announced, "
                f"{MemberGrade.objects.count()} members' grades."
            )
        )

    def _sitting(self, commission, sitting) -> None:
        """The sitting as it went: the members present at its start, each student who came graded (and voted on)
        when their answer or defense ended, the results announced ten minutes after the sitting's end."""
        voters = list(commission.memberships.exclude(role=Membership.Role.SECRETARY).select_related("user"))
        chair = next(m.user for m in voters if m.role == Membership.Role.CHAIR)
        starts, ends = sitting.bounds(commission.institution.time_zone)
        if not sitting.attendance.exists():  # everyone present: grading needs the quorum recorded first
            with demo_clock(starts):
                attendance.attendance_record(
                    actor=chair, sitting=sitting, present_ids=commission.memberships.values_list("pk", flat=True)
                )
        # The demo's examinations of this sitting are over: grading opens only after them (R33). One student did not
        # come (the applications layer files their missed-attestation application).
        waiting = sitting.slots.filter(status__in=[Slot.Status.SCHEDULED, Slot.Status.CONFIRMED])
        waiting.filter(student__user__username=DEMO_ABSENT).update(status=Slot.Status.ABSENT)
        waiting.update(status=Slot.Status.DONE)
        examined = sitting.slots.exclude(status=Slot.Status.ABSENT)
        for slot in examined.select_related("sitting__commission", "student").order_by("starts_at"):
            with demo_clock(slot.starts_at + dt.timedelta(minutes=slot.duration_minutes)):
                self._slot(commission, slot, voters, chair)
        with demo_clock(ends + dt.timedelta(minutes=10)):
            try:
                grading.results_announce(actor=chair, sitting=sitting)
            except ValidationError as exc:
                self.stderr.write("; ".join(exc.messages))

    def _slot(self, commission, slot, voters, chair) -> None:
        graders = [m for m in voters if m.pk not in attendance.advisers(slot=slot)]  # a thesis's adviser abstains
        for membership in graders:
            if not MemberGrade.objects.filter(slot=slot, membership=membership).exists():
                grading.grade_submit(actor=membership.user, slot=slot, points=_points(slot.pk, membership.pk))
        if commission.form == Commission.Form.DEFENSE and not VoteRound.objects.filter(slot=slot).exists():
            vote_round = votes.vote_open(actor=chair, slot=slot)
            if vote_round.mode == VoteRound.Mode.SECRET:  # the members' browsers, played here (ballot_member)
                members_take_part(vote_round=vote_round, choices={m.user: "for" for m in graders}, closer=chair)
            else:
                for membership in graders:
                    votes.vote_cast(actor=membership.user, vote_round=vote_round, choice="for")
                votes.vote_close(actor=chair, vote_round=vote_round)
