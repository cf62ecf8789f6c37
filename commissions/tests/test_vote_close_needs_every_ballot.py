"""R34: the degree vote is held with all members present — closing it needs every present member's ballot, or a
recorded reason, and then the vote is run again (docs/ballot.md); a vote with no ballot is never "not awarded"."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commissions.grading import votes
from commissions.grading.ballot_member import members_take_part
from commissions.models import EncryptedBallot, OpenVote, VoteRerun, VoteRound

pytestmark = pytest.mark.django_db


def test_an_open_vote_with_a_ballot_missing_is_not_closed_and_names_who_is_missing(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    with pytest.raises(ValidationError) as refused:
        votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert member2.display_name in refused.value.messages[0] and world.member.display_name in refused.value.messages[0]
    vote_round.refresh_from_db()
    assert not vote_round.is_closed and vote_round.awarded is None


def test_a_vote_with_no_ballot_is_never_recorded_as_not_awarded(world, slot, member2, present):
    for mode in ("open", "secret"):
        VoteRound.objects.filter(slot=slot).delete()
        vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode=mode)
        if mode == "secret":
            vote_round, _keys = members_take_part(vote_round=vote_round, choices={})
        with pytest.raises(ValidationError):
            votes.vote_close(actor=world.secretary, vote_round=vote_round)
        vote_round.refresh_from_db()
        assert vote_round.closed_at is None and vote_round.closing_at is None and vote_round.awarded is None


def test_the_database_refuses_a_closed_vote_without_a_ballot(world, slot, present):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    with pytest.raises(IntegrityError), transaction.atomic():
        VoteRound.objects.filter(pk=vote_round.pk).update(closed_at=timezone.now(), votes_for=0, votes_against=0)


def test_with_a_recorded_reason_an_open_vote_is_run_again(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    with pytest.raises(ValidationError, match="Say why"):
        votes.vote_close(actor=world.secretary, vote_round=vote_round, reason="  ")
    rerun = votes.vote_close(actor=world.secretary, vote_round=vote_round, reason="Member2 lost the connection")
    assert not rerun.is_closed and rerun.epoch == 1 and not OpenVote.objects.filter(round=rerun).exists()
    recorded = VoteRerun.objects.get(round=rerun)
    assert recorded.reason == "Member2 lost the connection" and member2.display_name in recorded.missing
    for user in (world.chair, world.member, member2):
        votes.vote_cast(actor=user, vote_round=rerun, choice="for")
    assert votes.vote_close(actor=world.secretary, vote_round=rerun).awarded is True


def test_with_a_recorded_reason_a_secret_vote_is_run_again(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    vote_round, _keys = members_take_part(vote_round=vote_round, choices={world.chair: "for"})
    rerun = votes.vote_close(actor=world.secretary, vote_round=vote_round, reason="Two members could not vote")
    assert rerun.epoch == 1 and not rerun.closing_at and not EncryptedBallot.objects.filter(round=rerun).exists()
    assert VoteRerun.objects.filter(round=rerun, reason="Two members could not vote").exists()


def test_closing_from_the_page_without_every_ballot_shows_why(client, world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    client.force_login(world.secretary)
    page = client.post(
        reverse("commissions:vote_close", args=[vote_round.pk]), {"confirmed": "1"}, follow=True
    ).content.decode()
    assert "Қатысып отырған мүшелердің бәрі дауыс берген жоқ" in page  # «Not every member present has voted»
    vote_round.refresh_from_db()
    assert not vote_round.is_closed
