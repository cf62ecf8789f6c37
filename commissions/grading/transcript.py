"""A secret round's public record and its check: anyone can recompute the result from the transcript alone
(`manage.py verify_vote <id|file>`). It holds the public key shares, the encrypted ballots, every proof and the
decryption shares — nothing that opens a single ballot."""

from dataclasses import dataclass

from commissions.grading import ballot_crypto as crypto
from commissions.models import BallotTrustee, EncryptedBallot, VoteRound


def vote_transcript(vote_round: VoteRound) -> dict:
    trustees = BallotTrustee.objects.filter(round=vote_round).order_by("membership_id")
    ballots = EncryptedBallot.objects.filter(round=vote_round).order_by("membership_id")
    return {
        "version": crypto.VERSION,
        "group": "ristretto255",
        "round": vote_round.pk,
        "epoch": vote_round.epoch,
        "joint_key": vote_round.joint_key,
        "trustees": [
            {
                "membership": t.membership_id,
                "key_share": t.key_share,
                "key_proof": t.key_proof,
                "decryption_share": t.decryption_share,
                "decryption_proof": t.decryption_proof,
            }
            for t in trustees
        ],
        "ballots": [{"membership": b.membership_id, "a": b.a, "b": b.b, "proof": b.proof} for b in ballots],
        "tally": {"a": vote_round.tally_a, "b": vote_round.tally_b},
        "result": {"for": vote_round.votes_for, "against": vote_round.votes_against},
    }


@dataclass(frozen=True)
class Verified:
    votes_for: int
    votes_against: int
    ballots: int
    trustees: int


def verify_transcript(data: dict) -> Verified:
    """Checks every proof and recomputes the count; raises crypto.BadProof saying what does not check."""

    def ctx(membership: int) -> str:
        return crypto.context(round_id=int(data["round"]), epoch=int(data["epoch"]), membership_id=int(membership))

    try:
        trustees, ballots = data["trustees"], data["ballots"]
        publics = {}
        for t in trustees:
            try:
                publics[t["membership"]] = crypto.verify_key_share(
                    public=t["key_share"], proof=t["key_proof"], ctx=ctx(t["membership"])
                )
            except crypto.BadProof as exc:
                raise crypto.BadProof(f"member {t['membership']}: key share: {exc}") from None
        joint = crypto.joint_key(list(publics.values()))
        if joint.hex() != data["joint_key"]:
            raise crypto.BadProof("the joint key is not the sum of the members' key shares")
        seen, ciphertexts = set(), []
        for ballot in ballots:
            member = ballot["membership"]
            if member not in publics or member in seen:
                raise crypto.BadProof(f"member {member}: a ballot from someone not taking part, or a second one")
            seen.add(member)
            try:
                ciphertexts.append(crypto.verify_ballot(joint_key=joint, ballot=ballot, ctx=ctx(member)))
            except crypto.BadProof as exc:
                raise crypto.BadProof(f"member {member}: ballot: {exc}") from None
        total = crypto.combine(ciphertexts)
        if ciphertexts and (total.a.hex(), total.b.hex()) != (data["tally"]["a"], data["tally"]["b"]):
            raise crypto.BadProof("the encrypted tally is not the sum of the ballots")
        shares = []
        if ciphertexts:
            for t in trustees:
                try:
                    shares.append(
                        crypto.verify_decryption_share(
                            public=publics[t["membership"]],
                            aggregate_a=total.a,
                            share=t["decryption_share"],
                            proof=t["decryption_proof"],
                            ctx=ctx(t["membership"]),
                        )
                    )
                except crypto.BadProof as exc:
                    raise crypto.BadProof(f"member {t['membership']}: decryption share: {exc}") from None
        votes_for = crypto.tally(aggregate=total, shares=shares, ballots=len(ciphertexts)) if ciphertexts else 0
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, crypto.BadProof):
            raise
        raise crypto.BadProof(f"the transcript is incomplete: {exc!r}") from None
    votes_against = len(ciphertexts) - votes_for
    stated = data.get("result") or {}
    if (stated.get("for"), stated.get("against")) != (votes_for, votes_against):
        raise crypto.BadProof(
            f"the recorded result {stated.get('for')}:{stated.get('against')} is not the count {votes_for}:{votes_against}"
        )
    return Verified(votes_for, votes_against, len(ciphertexts), len(trustees))
