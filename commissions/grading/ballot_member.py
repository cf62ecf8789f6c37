"""What each member's browser does in a secret round (static/js/ballot.js), in Python, through the same services:
for the demo data, the bench and the tests. The portal's pages never call this — a member's secret key lives only
in their browser; here it lives only in this function's memory and is dropped when it returns."""

from commissions.grading import ballot_crypto as crypto
from commissions.grading import votes
from commissions.models import BallotTrustee, Choice, VoteRound


def members_take_part(*, vote_round: VoteRound, choices: dict, closer=None) -> tuple[VoteRound, dict]:
    """Each trustee's "browser" sends its key; each user in `choices` ({user: "for"/"against"}) votes; with
    `closer`, the round is closed and every trustee sends its share. Returns the round and the members' keys."""
    keys = {}
    trustees = list(BallotTrustee.objects.filter(round=vote_round).select_related("membership__user"))
    for trustee in trustees:
        ctx = votes.ballot_context(vote_round, trustee.membership_id)
        key = crypto.member_key_share(ctx=ctx)
        votes.secret_key_share(
            actor=trustee.membership.user, vote_round=vote_round, public=key.public, proof=key.proof, epoch=vote_round.epoch
        )
        keys[trustee.membership_id] = key
    vote_round.refresh_from_db()
    by_user = {t.membership.user_id: t for t in trustees}
    for user, choice in choices.items():
        membership_id = by_user[user.pk].membership_id
        ballot = crypto.member_ballot(
            joint_key=bytes.fromhex(vote_round.joint_key),
            vote=1 if choice == Choice.FOR else 0,
            ctx=votes.ballot_context(vote_round, membership_id),
        )
        votes.secret_ballot_cast(actor=user, vote_round=vote_round, ballot=ballot, epoch=vote_round.epoch)
    if closer is not None:
        vote_round = votes.vote_close(actor=closer, vote_round=vote_round)
        if not vote_round.is_closed:
            members_send_shares(vote_round=vote_round, keys=keys)
            vote_round.refresh_from_db()
    return vote_round, keys


def members_send_shares(*, vote_round: VoteRound, keys: dict) -> None:
    vote_round.refresh_from_db()
    for trustee in BallotTrustee.objects.filter(round=vote_round).select_related("membership__user"):
        ctx = votes.ballot_context(vote_round, trustee.membership_id)
        share = crypto.member_decryption_share(
            key=keys[trustee.membership_id], aggregate_a=bytes.fromhex(vote_round.tally_a), ctx=ctx
        )
        votes.secret_decryption_share(
            actor=trustee.membership.user,
            vote_round=vote_round,
            share=share["d"],
            proof=share["proof"],
            epoch=vote_round.epoch,
        )
