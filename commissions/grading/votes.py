"""The degree vote (R34). Open: each vote names the member. Secret: who took part and the ballots are unlinkable.

A secret vote adds a participation row (random id, no time, no choice) and increments a sealed count; at the
close the counts become ballots (random ids, choice only) inserted in one shuffled batch and the counts are
deleted, so neither ids, times, insertion order, the audit trail nor any task argument ties a ballot to a voter.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from commissions.attendance import adviser_refusal, formation_refusal, grading_refusal, sitting_quorum
from commissions.grading.services import voting_membership
from commissions.models import (
    Choice,
    Commission,
    Membership,
    OpenVote,
    SecretBallot,
    SecretParticipation,
    SecretUrn,
    Slot,
    VoteRound,
)


def _runs_votes(user, slot: Slot) -> bool:
    return Membership.objects.filter(
        commission_id=slot.sitting.commission_id, user=user, role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY]
    ).exists()


@transaction.atomic
def vote_open(*, actor, slot: Slot, mode: str | None = None) -> VoteRound:
    """Opens the student's degree vote in the commission's mode (R34) once the sitting has its quorum."""
    if not _runs_votes(actor, slot):
        raise ValidationError(_("Only the chair or the secretary opens the vote."))
    unformed = formation_refusal(commission_id=slot.sitting.commission_id)
    if unformed:
        raise ValidationError(unformed, code="unformed")
    quorum = sitting_quorum(sitting=slot.sitting)
    if not quorum.met:
        raise ValidationError(
            _("The vote needs a quorum: %(needed)s voting members present, %(present)s are recorded.")
            % {"needed": quorum.needed, "present": quorum.present_voting}
        )
    mode = mode or Commission.objects.values_list("vote_mode", flat=True).get(pk=slot.sitting.commission_id)
    try:
        with transaction.atomic():
            vote_round = VoteRound.objects.create(slot=slot, mode=mode, opened_at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError(_("The vote for this student is already open or held.")) from exc
    if mode == VoteRound.Mode.SECRET:
        SecretUrn.objects.create(round=vote_round)
    audit_record(actor=actor, verb="vote.open", obj=vote_round, after={"slot": slot.pk, "mode": mode})
    return vote_round


@transaction.atomic
def vote_cast(*, actor, vote_round: VoteRound, choice: str) -> None:
    """Records the actor's vote once; in a secret round, only that the actor voted is tied to the actor."""
    if choice not in Choice.values:
        raise ValidationError(_("Vote for or against."))
    membership = voting_membership(user=actor, slot=vote_round.slot)
    refusal = grading_refusal(sitting=vote_round.slot.sitting, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="attendance")
    refusal = adviser_refusal(slot=vote_round.slot, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="adviser")
    vote_round = VoteRound.objects.select_for_update().get(pk=vote_round.pk)
    if vote_round.is_closed:
        raise ValidationError(_("The vote is closed."))
    try:
        with transaction.atomic():
            if vote_round.mode == VoteRound.Mode.OPEN:
                OpenVote.objects.create(round=vote_round, membership=membership, choice=choice)
            else:
                SecretParticipation.objects.create(round=vote_round, membership=membership)
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted.")) from exc
    if vote_round.mode == VoteRound.Mode.OPEN:
        audit_record(actor=actor, verb="vote.open_cast", obj=vote_round, after={"choice": choice})
        return
    field = "count_for" if choice == Choice.FOR else "count_against"
    SecretUrn.objects.filter(round=vote_round).update(**{field: F(field) + 1})
    audit_record(actor=actor, verb="vote.secret_took_part", obj=vote_round)


def _secret_close(vote_round: VoteRound) -> tuple[int, int]:
    urn = SecretUrn.objects.select_for_update().get(round=vote_round)
    choices = [Choice.FOR] * urn.count_for + [Choice.AGAINST] * urn.count_against
    secrets.SystemRandom().shuffle(choices)
    SecretBallot.objects.bulk_create([SecretBallot(round=vote_round, choice=c) for c in choices])
    urn.delete()
    return choices.count(Choice.FOR), choices.count(Choice.AGAINST)


@transaction.atomic
def vote_close(*, actor, vote_round: VoteRound) -> VoteRound:
    """Closes the vote and only now counts it; a second close does nothing."""
    if not _runs_votes(actor, vote_round.slot):
        raise ValidationError(_("Only the chair or the secretary closes the vote."))
    vote_round = VoteRound.objects.select_for_update().get(pk=vote_round.pk)
    if vote_round.is_closed:
        return vote_round
    if vote_round.mode == VoteRound.Mode.SECRET:
        votes_for, votes_against = _secret_close(vote_round)
    else:
        choices = list(vote_round.open_votes.values_list("choice", flat=True))
        votes_for, votes_against = choices.count(Choice.FOR), choices.count(Choice.AGAINST)
    vote_round.votes_for, vote_round.votes_against, vote_round.closed_at = votes_for, votes_against, timezone.now()
    vote_round.save(update_fields=["votes_for", "votes_against", "closed_at"])
    audit_record(actor=actor, verb="vote.close", obj=vote_round, after={"for": votes_for, "against": votes_against})
    return vote_round


def voted_members(vote_round: VoteRound) -> set[int]:
    """Membership ids that have voted (both modes): the progress the secretary watches."""
    model = OpenVote if vote_round.mode == VoteRound.Mode.OPEN else SecretParticipation
    return set(model.objects.filter(round=vote_round).values_list("membership_id", flat=True))
