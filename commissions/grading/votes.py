"""The degree vote (R34). Open: each vote names the member. Secret: a ballot the server cannot read (docs/ballot.md).

A secret round runs in the members' browsers: at the open each present voting member's browser makes a key pair and
sends the public half with a proof (`secret_key_share`); the members' joint key is the sum. Each ballot is encrypted
under it in the browser with a proof that it is "for" or "against" (`secret_ballot_cast`); the server checks the
proof and stores the ciphertext — nothing is counted while the round is open. At the close the server adds the
ballots up (still encrypted) and each member's browser sends its share of the decryption with a proof
(`secret_decryption_share`); the last share opens the tally, never a ballot. A lost share: `secret_rerun`.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from commissions.attendance import (
    adviser_refusal,
    advisers,
    formation_refusal,
    grading_refusal,
    present_voting_ids,
    sitting_quorum,
)
from commissions.grading import ballot_crypto as crypto
from commissions.grading.services import not_examined_refusal, voting_membership
from commissions.models import (
    BallotTrustee,
    Choice,
    Commission,
    EncryptedBallot,
    Membership,
    OpenVote,
    Slot,
    VoteRerun,
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
    refusal = not_examined_refusal(slot)
    if refusal:
        raise ValidationError(refusal, code="not_examined")
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
        _seat_trustees(vote_round, quorum.present_ids)
    audit_record(actor=actor, verb="vote.open", obj=vote_round, after={"slot": slot.pk, "mode": mode})
    return vote_round


@transaction.atomic
def vote_cast(*, actor, vote_round: VoteRound, choice: str) -> None:
    """Records the actor's open vote once; a secret ballot comes encrypted from the browser (secret_ballot_cast)."""
    if vote_round.mode == VoteRound.Mode.SECRET:
        raise ValidationError(_("A secret ballot is encrypted in your browser; vote on the student's page."))
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
            OpenVote.objects.create(round=vote_round, membership=membership, choice=choice)
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted.")) from exc
    audit_record(actor=actor, verb="vote.open_cast", obj=vote_round, after={"choice": choice})


# ---------------------------------------------------------------- the secret round


def _seat_trustees(vote_round: VoteRound, present_ids) -> None:
    voting = Membership.objects.filter(commission_id=vote_round.slot.sitting.commission_id, pk__in=present_ids).exclude(
        role=Membership.Role.SECRETARY
    )
    BallotTrustee.objects.bulk_create([BallotTrustee(round=vote_round, membership=m) for m in voting])


def ballot_context(vote_round: VoteRound, membership_id: int) -> str:
    return crypto.context(round_id=vote_round.pk, epoch=vote_round.epoch, membership_id=membership_id)


def _secret_round_locked(vote_round: VoteRound) -> VoteRound:
    vote_round = VoteRound.objects.select_for_update().select_related("slot__sitting").get(pk=vote_round.pk)
    if vote_round.mode != VoteRound.Mode.SECRET:
        raise ValidationError(_("This vote is open, not secret."))
    return vote_round


def _trustee(vote_round: VoteRound, actor) -> BallotTrustee:
    trustee = (
        BallotTrustee.objects.select_for_update()
        .select_related("membership")
        .filter(round=vote_round, membership__user=actor)
        .first()
    )
    if trustee is None:
        raise ValidationError(
            _("You are not among the members taking part in this secret vote; only they hold a part of its key.")
        )
    return trustee


@transaction.atomic
def secret_key_share(*, actor, vote_round: VoteRound, public: str, proof: dict, epoch: int) -> BallotTrustee:
    """Stores the public half of the member's key once its proof checks; the last one makes the joint key."""
    vote_round = _secret_round_locked(vote_round)
    trustee = _trustee(vote_round, actor)
    if epoch != vote_round.epoch or vote_round.joint_key or vote_round.closing_at or vote_round.is_closed:
        raise ValidationError(_("The vote's key is already made; reload the page."))
    if trustee.key_share:
        raise ValidationError(_("Your browser has already sent its part of the key."))
    try:
        crypto.verify_key_share(public=public, proof=proof, ctx=ballot_context(vote_round, trustee.membership_id))
    except crypto.BadProof as exc:
        raise ValidationError(_("The key's proof does not check; nothing was stored.")) from exc
    trustee.key_share, trustee.key_proof = public, proof
    trustee.save(update_fields=["key_share", "key_proof"])
    publics = list(BallotTrustee.objects.filter(round=vote_round).values_list("key_share", flat=True))
    if all(publics):
        vote_round.joint_key = crypto.joint_key([bytes.fromhex(p) for p in publics]).hex()
        vote_round.save(update_fields=["joint_key"])
    audit_record(actor=actor, verb="vote.key_share", obj=vote_round, after={"epoch": vote_round.epoch})
    return trustee


@transaction.atomic
def secret_ballot_cast(*, actor, vote_round: VoteRound, ballot: dict, epoch: int) -> EncryptedBallot:
    """Stores the member's encrypted ballot once, if its proof shows it is a valid vote; it is never decrypted."""
    membership = voting_membership(user=actor, slot=vote_round.slot)
    refusal = grading_refusal(sitting=vote_round.slot.sitting, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="attendance")
    refusal = adviser_refusal(slot=vote_round.slot, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="adviser")
    vote_round = _secret_round_locked(vote_round)
    if vote_round.is_closed or vote_round.closing_at:
        raise ValidationError(_("The vote is closed."))
    if epoch != vote_round.epoch:
        raise ValidationError(_("The vote was run again; reload the page and vote again."))
    if not vote_round.joint_key:
        raise ValidationError(_("Not every member's browser has sent its part of the key yet; wait a moment."))
    if not BallotTrustee.objects.filter(round=vote_round, membership=membership).exists():
        raise ValidationError(
            _("You are not among the members taking part in this secret vote; only they hold a part of its key.")
        )
    if EncryptedBallot.objects.filter(round=vote_round, membership=membership).exists():
        raise ValidationError(_("You have already voted."))
    try:
        crypto.verify_ballot(
            joint_key=bytes.fromhex(vote_round.joint_key), ballot=ballot, ctx=ballot_context(vote_round, membership.pk)
        )
    except crypto.BadProof as exc:
        raise ValidationError(
            _("The ballot's proof does not check (it is not a valid “for” or “against”); it was not counted.")
        ) from exc
    try:
        with transaction.atomic():
            stored = EncryptedBallot.objects.create(
                round=vote_round, membership=membership, a=ballot["a"], b=ballot["b"], proof=ballot["proof"]
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted.")) from exc
    audit_record(actor=actor, verb="vote.secret_took_part", obj=vote_round)
    return stored


def _secret_begin_close(vote_round: VoteRound) -> None:
    """Freezes the ballots and adds them up, still encrypted; the members' shares then open the sum."""
    missing = [t.membership for t in vote_round.trustees.select_related("membership__user") if not t.key_share]
    if missing:
        raise ValidationError(
            _("Not every member's browser has sent its part of the key: %(names)s. Wait, or run the vote again.")
            % {"names": ", ".join(m.user.display_name for m in missing)}
        )
    ballots = list(EncryptedBallot.objects.filter(round=vote_round).values_list("a", "b"))
    total = crypto.combine([crypto.Ciphertext(bytes.fromhex(a), bytes.fromhex(b)) for a, b in ballots])
    vote_round.closing_at, vote_round.tally_a, vote_round.tally_b = timezone.now(), total.a.hex(), total.b.hex()
    vote_round.save(update_fields=["closing_at", "tally_a", "tally_b"])


def _secret_open_tally(vote_round: VoteRound) -> tuple[int, int] | None:
    """The count, once every member's decryption share is in (or there is no ballot); None while shares are due."""
    count = EncryptedBallot.objects.filter(round=vote_round).count()
    if count == 0:
        return 0, 0
    shares = list(BallotTrustee.objects.filter(round=vote_round).values_list("decryption_share", flat=True))
    if not all(shares):
        return None
    total = crypto.Ciphertext(bytes.fromhex(vote_round.tally_a), bytes.fromhex(vote_round.tally_b))
    votes_for = crypto.tally(aggregate=total, shares=[bytes.fromhex(d) for d in shares], ballots=count)
    return votes_for, count - votes_for


def _finish(actor, vote_round: VoteRound, votes_for: int, votes_against: int) -> VoteRound:
    vote_round.votes_for, vote_round.votes_against, vote_round.closed_at = votes_for, votes_against, timezone.now()
    vote_round.save(update_fields=["votes_for", "votes_against", "closed_at"])
    audit_record(actor=actor, verb="vote.close", obj=vote_round, after={"for": votes_for, "against": votes_against})
    return vote_round


@transaction.atomic
def secret_decryption_share(*, actor, vote_round: VoteRound, share: str, proof: dict, epoch: int) -> VoteRound:
    """Stores the member's share of the tally's decryption once its proof checks; the last share counts the vote."""
    vote_round = _secret_round_locked(vote_round)
    trustee = _trustee(vote_round, actor)
    if vote_round.is_closed:
        raise ValidationError(_("The vote is already counted."))
    if not vote_round.closing_at or epoch != vote_round.epoch:
        raise ValidationError(_("The vote is not closed yet; the shares of the count are sent after the close."))
    if trustee.decryption_share:
        raise ValidationError(_("Your browser has already sent its share of the count."))
    try:
        crypto.verify_decryption_share(
            public=bytes.fromhex(trustee.key_share),
            aggregate_a=bytes.fromhex(vote_round.tally_a),
            share=share,
            proof=proof,
            ctx=ballot_context(vote_round, trustee.membership_id),
        )
    except crypto.BadProof as exc:
        raise ValidationError(_("The share's proof does not check; nothing was stored.")) from exc
    trustee.decryption_share, trustee.decryption_proof = share, proof
    trustee.save(update_fields=["decryption_share", "decryption_proof"])
    audit_record(actor=actor, verb="vote.decryption_share", obj=vote_round, after={"epoch": vote_round.epoch})
    counted = _secret_open_tally(vote_round)
    if counted is not None:
        _finish(actor, vote_round, *counted)
    return vote_round


def secret_missing(vote_round: VoteRound) -> dict[str, list[Membership]]:
    """Who has not yet sent their part: the key (before voting) or the share of the count (after the close)."""
    trustees = list(vote_round.trustees.select_related("membership__user").order_by("membership__pk"))
    return {
        "key": [t.membership for t in trustees if not t.key_share],
        "share": [t.membership for t in trustees if vote_round.closing_at and not t.decryption_share],
    }


@transaction.atomic
def secret_rerun(*, actor, vote_round: VoteRound, reason: str, missing: list[Membership] | None = None) -> VoteRound:
    """Runs the secret vote again when a member's key or share is lost: the ballots and keys of this run are
    discarded (they can no longer be opened), the reason and who was missing are recorded, the members vote again."""
    if not _runs_votes(actor, vote_round.slot):
        raise ValidationError(_("Only the chair or the secretary runs the vote again."))
    vote_round = _secret_round_locked(vote_round)
    if vote_round.is_closed:
        raise ValidationError(_("The vote is already counted."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the vote is run again."))
    lost = secret_missing(vote_round)
    names = [m.user.display_name for m in lost["key"] + lost["share"] + (missing or [])]
    rerun = VoteRerun(round=vote_round, epoch=vote_round.epoch, reason=reason, missing=names, actor=actor, at=timezone.now())
    rerun.full_clean()
    rerun.save()
    EncryptedBallot.objects.filter(round=vote_round).delete()
    BallotTrustee.objects.filter(round=vote_round).delete()
    vote_round.epoch += 1
    vote_round.joint_key = vote_round.tally_a = vote_round.tally_b = ""
    vote_round.closing_at = None
    vote_round.save(update_fields=["epoch", "joint_key", "tally_a", "tally_b", "closing_at"])
    _seat_trustees(vote_round, sitting_quorum(sitting=vote_round.slot.sitting).present_ids)
    audit_record(
        actor=actor, verb="vote.rerun", obj=vote_round, after={"epoch": vote_round.epoch, "reason": reason, "missing": names}
    )
    return vote_round


def expected_voters(vote_round: VoteRound) -> list[Membership]:
    """Who must have voted before the vote closes (R34, all members present): a secret round's seated members, an
    open one's voting members recorded present — less a thesis's supervisor and reviewer, who do not vote on it."""
    slot = vote_round.slot
    if vote_round.mode == VoteRound.Mode.SECRET:
        ids = set(BallotTrustee.objects.filter(round=vote_round).values_list("membership_id", flat=True))
    else:
        ids = present_voting_ids(sitting=slot.sitting)
    ids -= set(advisers(slot=slot))
    return list(Membership.objects.filter(pk__in=ids).select_related("user").order_by("user__last_name", "pk"))


def missing_voters(vote_round: VoteRound) -> list[Membership]:
    voted = voted_members(vote_round)
    return [m for m in expected_voters(vote_round) if m.pk not in voted]


def _open_rerun(*, actor, vote_round: VoteRound, reason: str, missing: list[Membership]) -> VoteRound:
    """An open vote run again: this run's votes are set aside (kept in the audit trail), the reason recorded."""
    names = [m.user.display_name for m in missing]
    rerun = VoteRerun(round=vote_round, epoch=vote_round.epoch, reason=reason, missing=names, actor=actor, at=timezone.now())
    rerun.full_clean()
    rerun.save()
    dropped = list(vote_round.open_votes.values_list("membership_id", "choice"))
    OpenVote.objects.filter(round=vote_round).delete()
    vote_round.epoch += 1
    vote_round.save(update_fields=["epoch"])
    audit_record(
        actor=actor,
        verb="vote.rerun",
        obj=vote_round,
        after={"epoch": vote_round.epoch, "reason": reason, "missing": names, "set_aside": dropped},
    )
    return vote_round


@transaction.atomic
def vote_close(*, actor, vote_round: VoteRound, reason: str | None = None) -> VoteRound:
    """Closes the vote and only now counts it; a second close does nothing. R34: every present member votes — while
    a ballot is missing the close is refused with their names, unless a reason is given: then it is recorded and the
    vote is run again (docs/ballot.md). A secret round is counted when the last member's browser has sent its share."""
    if not _runs_votes(actor, vote_round.slot):
        raise ValidationError(_("Only the chair or the secretary closes the vote."))
    vote_round = VoteRound.objects.select_for_update().select_related("slot__sitting__commission").get(pk=vote_round.pk)
    if vote_round.is_closed or vote_round.closing_at:
        return vote_round
    missing = missing_voters(vote_round)
    if missing and reason is None:
        raise ValidationError(
            _(
                "Not every member present has voted: %(names)s. The vote closes with every present member's "
                "ballot; wait, or give the reason and run the vote again."
            )
            % {"names": ", ".join(m.user.display_name for m in missing)},
            code="ballots_missing",
        )
    if missing:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Say why the vote is run again."))
        if vote_round.mode == VoteRound.Mode.SECRET:
            return secret_rerun(actor=actor, vote_round=vote_round, reason=reason, missing=missing)
        return _open_rerun(actor=actor, vote_round=vote_round, reason=reason, missing=missing)
    if vote_round.mode == VoteRound.Mode.SECRET:
        _secret_begin_close(vote_round)
        audit_record(actor=actor, verb="vote.closing", obj=vote_round, after={"epoch": vote_round.epoch})
        counted = _secret_open_tally(vote_round)
        return _finish(actor, vote_round, *counted) if counted is not None else vote_round
    choices = list(vote_round.open_votes.values_list("choice", flat=True))
    return _finish(actor, vote_round, choices.count(Choice.FOR), choices.count(Choice.AGAINST))


def voted_members(vote_round: VoteRound) -> set[int]:
    """Membership ids that have voted (both modes): the progress the secretary watches."""
    model = OpenVote if vote_round.mode == VoteRound.Mode.OPEN else EncryptedBallot
    return set(model.objects.filter(round=vote_round).values_list("membership_id", flat=True))
