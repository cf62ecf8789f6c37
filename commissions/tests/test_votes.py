import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from attestation.core.models import AuditEvent
from commissions.grading import votes
from commissions.models import OpenVote, SecretBallot, SecretParticipation, SecretUrn
from commissions.tests.conftest import everyone_present

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
    closed = votes.vote_close(actor=world.chair, vote_round=vote_round)
    assert (closed.votes_for, closed.votes_against) == (1, 1)


def test_tally_appears_only_at_the_close_and_not_twice(world, slot, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot)
    assert vote_round.mode == "secret"
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    vote_round.refresh_from_db()
    assert vote_round.votes_for is None and not SecretBallot.objects.exists()
    closed = votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert (closed.votes_for, closed.votes_against, closed.awarded) == (1, 0, True)
    again = votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert again.closed_at == closed.closed_at
    assert SecretBallot.objects.count() == 1
    with pytest.raises(ValidationError):
        votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")


def _columns(table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def test_secret_ballots_hold_nothing_that_links_them_to_a_voter(world, slot, member2, present):
    vote_round = votes.vote_open(actor=world.chair, slot=slot, mode="secret")
    choices = {world.chair: "for", world.member: "against", member2: "for"}
    for user, choice in choices.items():
        votes.vote_cast(actor=user, vote_round=vote_round, choice=choice)
    votes.vote_close(actor=world.chair, vote_round=vote_round)

    # The ballot table: a random id, the round and the choice. No member, no time, no sequence.
    assert sorted(_columns(SecretBallot._meta.db_table)) == ["choice", "id", "round_id"]
    assert sorted(_columns(SecretParticipation._meta.db_table)) == ["id", "membership_id", "round_id"]
    assert {f.get_internal_type() for f in SecretBallot._meta.get_fields() if f.name == "id"} == {"UUIDField"}
    assert not SecretUrn.objects.exists()
    ballots = list(SecretBallot.objects.values_list("choice", flat=True))
    assert sorted(ballots) == ["against", "for", "for"]
    # No foreign key from either table reaches the other; the only shared column is the round.
    ballot_fks = {f.related_model for f in SecretBallot._meta.concrete_fields if f.is_relation}
    participation_fks = {f.related_model for f in SecretParticipation._meta.concrete_fields if f.is_relation}
    assert ballot_fks == {vote_round.__class__}
    assert SecretBallot not in participation_fks and SecretParticipation not in ballot_fks
    # Nothing in the audit trail carries a secret choice.
    for event in AuditEvent.objects.filter(verb__startswith="vote."):
        assert "choice" not in (event.after or {})
    assert not OpenVote.objects.exists()


def test_secret_ballot_order_does_not_follow_the_voting_order(world, slot):
    from attestation.tests.factories import UserFactory
    from commissions import services
    from commissions.models import Membership

    voters = [UserFactory() for _ in range(12)]
    for user in voters:
        services.membership_add(actor=world.chair, commission=world.commission, user=user, role=Membership.Role.MEMBER)
    everyone_present(world)
    vote_round = votes.vote_open(actor=world.chair, slot=slot, mode="secret")
    cast = ["for"] * 6 + ["against"] * 6
    for user, choice in zip(voters, cast, strict=True):
        votes.vote_cast(actor=user, vote_round=vote_round, choice=choice)
    votes.vote_close(actor=world.chair, vote_round=vote_round)
    with connection.cursor() as cursor:  # physical order as written
        cursor.execute(f"SELECT choice FROM {SecretBallot._meta.db_table} ORDER BY ctid")  # noqa: S608
        physical = [row[0] for row in cursor.fetchall()]
    ordered_by_id = list(SecretBallot.objects.order_by("id").values_list("choice", flat=True))
    # With 12 ballots, the chance that a shuffle reproduces the voting order is 1 in 924.
    assert physical != cast or ordered_by_id != cast
