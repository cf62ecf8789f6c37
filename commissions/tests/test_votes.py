import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from attestation.core.models import AuditEvent
from attestation.tests.factories import UserFactory
from commissions.grading import ballot_crypto as crypto
from commissions.grading import votes
from commissions.grading.ballot_member import members_send_shares, members_take_part
from commissions.grading.transcript import verify_transcript, vote_transcript
from commissions.models import BallotTrustee, EncryptedBallot, Membership, OpenVote, VoteRerun, VoteRound

pytestmark = pytest.mark.django_db


def test_open_vote_names_each_member(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    votes.vote_cast(actor=member2, vote_round=vote_round, choice="against")
    with pytest.raises(ValidationError):
        votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="against")
    with pytest.raises(ValidationError):
        votes.vote_cast(actor=world.secretary, vote_round=vote_round, choice="for")
    assert {(v.membership.user.username, v.choice) for v in OpenVote.objects.all()} == {
        ("chair", "for"),
        ("member2", "against"),
    }
    votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
    closed = votes.vote_close(actor=world.chair, vote_round=vote_round)
    assert (closed.votes_for, closed.votes_against) == (2, 1)


def test_the_secret_tally_appears_only_when_every_member_has_sent_a_share(world, slot, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    assert vote_round.mode == "secret"
    vote_round, keys = members_take_part(vote_round=vote_round, choices={world.chair: "for", world.member: "for"})
    vote_round.refresh_from_db()
    assert vote_round.votes_for is None and EncryptedBallot.objects.count() == 2
    closing = votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert not closing.is_closed and closing.tally_a  # the sum, still encrypted: the shares open it
    with pytest.raises(ValidationError, match="closed"):
        votes.secret_ballot_cast(actor=world.member, vote_round=closing, ballot={}, epoch=closing.epoch)
    members_send_shares(vote_round=closing, keys=keys)
    closed = VoteRound.objects.get(pk=vote_round.pk)
    assert (closed.votes_for, closed.votes_against, closed.awarded) == (2, 0, True)
    again = votes.vote_close(actor=world.secretary, vote_round=closed)
    assert again.closed_at == closed.closed_at
    with pytest.raises(ValidationError):
        votes.vote_cast(actor=world.member, vote_round=closed, choice="for")


def test_a_secret_vote_counts_for_and_against_and_its_transcript_checks(world, slot, member2, present, tmp_path):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    choices = {world.chair: "for", world.member: "against", member2: "for"}
    vote_round, _keys = members_take_part(vote_round=vote_round, choices=choices, closer=world.secretary)
    assert (vote_round.votes_for, vote_round.votes_against) == (2, 1)
    data = vote_transcript(vote_round)
    assert verify_transcript(data).votes_for == 2
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    call_command("verify_vote", str(path), stdout=out)
    assert "for 2, against 1" in out.getvalue()
    call_command("verify_vote", str(vote_round.pk), stdout=io.StringIO())
    data["result"] = {"for": 3, "against": 0}  # a recorded result the ballots do not give
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="not the count 2:1"):
        call_command("verify_vote", str(path), stdout=io.StringIO())
    data["result"] = {"for": 2, "against": 1}
    data["ballots"][1]["b"] = data["ballots"][0]["b"]  # a ballot changed after it was cast
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="ballot"):
        call_command("verify_vote", str(path), stdout=io.StringIO())


def _ready_round(world, slot):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    vote_round, keys = members_take_part(vote_round=vote_round, choices={})
    vote_round.refresh_from_db()
    return vote_round, keys


def _ballot(vote_round, user, vote: int) -> dict:
    membership = Membership.objects.get(commission=vote_round.slot.sitting.commission, user=user)
    return crypto.member_ballot(
        joint_key=bytes.fromhex(vote_round.joint_key), vote=vote, ctx=votes.ballot_context(vote_round, membership.pk)
    )


def test_a_ballot_whose_proof_fails_is_refused_with_a_message(world, slot, present):
    vote_round, _ = _ready_round(world, slot)
    forged = _ballot(vote_round, world.member, 1)
    forged["b"] = crypto.add(bytes.fromhex(forged["b"]), crypto.G).hex()  # "2 for": the proof no longer holds
    with pytest.raises(ValidationError, match="proof does not check"):
        votes.secret_ballot_cast(actor=world.member, vote_round=vote_round, ballot=forged, epoch=vote_round.epoch)
    copied = _ballot(vote_round, world.chair, 0)  # the chair's ballot, sent again as the member's
    with pytest.raises(ValidationError, match="proof does not check"):
        votes.secret_ballot_cast(actor=world.member, vote_round=vote_round, ballot=copied, epoch=vote_round.epoch)
    with pytest.raises(ValidationError, match="proof does not check"):
        votes.secret_ballot_cast(actor=world.member, vote_round=vote_round, ballot={"a": "zz"}, epoch=vote_round.epoch)
    assert not EncryptedBallot.objects.exists()


def test_a_second_ballot_from_the_same_member_is_refused(world, slot, present):
    vote_round, _ = _ready_round(world, slot)
    votes.secret_ballot_cast(
        actor=world.member, vote_round=vote_round, ballot=_ballot(vote_round, world.member, 1), epoch=vote_round.epoch
    )
    with pytest.raises(ValidationError, match="already voted"):
        votes.secret_ballot_cast(
            actor=world.member, vote_round=vote_round, ballot=_ballot(vote_round, world.member, 0), epoch=vote_round.epoch
        )
    assert EncryptedBallot.objects.count() == 1


def test_a_key_or_share_from_someone_not_taking_part_is_refused(world, slot, present):
    outsider, secretary = UserFactory(username="not-on-the-commission"), world.secretary
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    key = crypto.member_key_share(ctx=votes.ballot_context(vote_round, 999))
    for user in (outsider, secretary):
        with pytest.raises(ValidationError, match="not among the members taking part"):
            votes.secret_key_share(actor=user, vote_round=vote_round, public=key.public, proof=key.proof, epoch=0)
    vote_round, keys = members_take_part(vote_round=vote_round, choices={world.member: "against", world.chair: "for"})
    closing = votes.vote_close(actor=world.chair, vote_round=vote_round)
    stolen = crypto.member_decryption_share(
        key=next(iter(keys.values())), aggregate_a=bytes.fromhex(closing.tally_a), ctx="x"
    )
    for user in (outsider, secretary):
        with pytest.raises(ValidationError, match="not among the members taking part"):
            votes.secret_decryption_share(
                actor=user, vote_round=closing, share=stolen["d"], proof=stolen["proof"], epoch=closing.epoch
            )
    member_trustee = BallotTrustee.objects.get(round=closing, membership__user=world.member)
    with pytest.raises(ValidationError, match="proof does not check"):  # a share made with another member's key
        votes.secret_decryption_share(
            actor=world.member, vote_round=closing, share=stolen["d"], proof=stolen["proof"], epoch=closing.epoch
        )
    member_trustee.refresh_from_db()
    assert not member_trustee.decryption_share


def test_a_lost_share_is_run_again_with_a_recorded_reason(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    vote_round, keys = members_take_part(
        vote_round=vote_round, choices={world.chair: "for", world.member: "for", member2: "for"}
    )
    closing = votes.vote_close(actor=world.secretary, vote_round=vote_round)
    chair_membership = Membership.objects.get(commission=world.commission, user=world.chair).pk
    del keys[chair_membership]  # the chair's browser was closed: their part of the key is gone
    with pytest.raises(KeyError):
        members_send_shares(vote_round=closing, keys=keys)
    missing = votes.secret_missing(VoteRound.objects.get(pk=vote_round.pk))
    assert world.chair in {m.user for m in missing["share"]}
    with pytest.raises(ValidationError, match="Say why"):
        votes.secret_rerun(actor=world.secretary, vote_round=closing, reason=" ")
    rerun = votes.secret_rerun(actor=world.secretary, vote_round=closing, reason="The chair's laptop restarted")
    assert rerun.epoch == 1 and not rerun.closing_at and not EncryptedBallot.objects.exists()
    assert VoteRerun.objects.get(round=rerun).reason == "The chair's laptop restarted"
    assert AuditEvent.objects.filter(verb="vote.rerun").exists()
    done, _ = members_take_part(
        vote_round=rerun, choices={world.chair: "for", world.member: "against", member2: "against"}, closer=world.chair
    )
    assert (done.votes_for, done.votes_against, done.awarded) == (1, 2, False)


def test_a_secret_ballot_is_not_taken_as_an_open_vote(world, slot, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    with pytest.raises(ValidationError, match="encrypted in your browser"):
        votes.vote_cast(actor=world.member, vote_round=vote_round, choice="against")
    assert not AuditEvent.objects.filter(verb__startswith="vote.", after__has_key="choice").exists()
