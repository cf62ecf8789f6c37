"""R33: grading (and the degree vote) opens only after the examination; R34: a vote closes with every present
member's ballot, or with a recorded reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import MemberGrade, Slot, VoteRound
from commissions.tests.conftest import everyone_present

pytestmark = pytest.mark.django_db


def _present_only(world):
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )


def test_a_member_cannot_grade_a_student_who_was_never_examined(world):
    _present_only(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    with pytest.raises(ValidationError) as exc:
        grading.grade_submit(actor=world.member, slot=slot, points="90")
    assert exc.value.code == "not_examined"
    assert not MemberGrade.objects.exists()


def test_an_absent_student_is_not_graded(world):
    _present_only(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.ABSENT)
    with pytest.raises(ValidationError):
        grading.grade_submit(actor=world.chair, slot=slot, points="90")


def test_the_vote_does_not_open_before_the_examination(world):
    _present_only(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    with pytest.raises(ValidationError):
        votes.vote_open(actor=world.chair, slot=slot, mode="open")
    assert not VoteRound.objects.exists()


def _open_round(world) -> VoteRound:
    everyone_present(world)
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    return votes.vote_open(actor=world.chair, slot=slot, mode="secret")


def test_a_vote_with_no_ballots_cannot_be_closed(world):
    vote_round = _open_round(world)
    with pytest.raises(ValidationError) as exc:
        votes.vote_close(actor=world.secretary, vote_round=vote_round, reason="they left")
    assert exc.value.code == "no_ballots"
    vote_round.refresh_from_db()
    assert not vote_round.is_closed


def test_closing_without_a_present_members_ballot_needs_a_reason(world):
    vote_round = _open_round(world)
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="for")
    with pytest.raises(ValidationError) as exc:
        votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert "reason" in exc.value.message_dict
    closed = votes.vote_close(actor=world.secretary, vote_round=vote_round, reason="The member lost the connection.")
    assert closed.is_closed and closed.close_reason == "The member lost the connection."
    assert AuditEvent.objects.get(verb="vote.close").after["reason"] == "The member lost the connection."


def test_every_present_ballot_closes_without_a_reason(world):
    vote_round = _open_round(world)
    for user in (world.chair, world.member):
        votes.vote_cast(actor=user, vote_round=vote_round, choice="for")
    closed = votes.vote_close(actor=world.secretary, vote_round=vote_round)
    assert (closed.votes_for, closed.close_reason) == (2, "")


def test_the_secretary_closes_with_a_reason_in_the_browser(client, world):
    vote_round = _open_round(world)
    votes.vote_cast(actor=world.chair, vote_round=vote_round, choice="against")
    client.force_login(world.secretary)
    url = reverse("commissions:vote_close", args=[vote_round.pk])
    client.post(url, {"reason": ""})
    vote_round.refresh_from_db()
    assert not vote_round.is_closed
    client.post(url, {"reason": "Мүше байланыстан шығып кетті."})
    vote_round.refresh_from_db()
    assert vote_round.is_closed and vote_round.close_reason == "Мүше байланыстан шығып кетті."


def test_announcing_with_students_ungraded_warns_first(client, world):
    everyone_present(world)
    client.force_login(world.chair)
    html = client.get(reverse("commissions:sitting_results", args=[world.sitting.pk])).content.decode()
    assert 'data-confirm="2 білім алушыны қатысып отырған барлық мүше әлі бағалаған жоқ' in html
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    for user in (world.chair, world.member):
        grading.grade_submit(actor=user, slot=slot, points="90")
    html = client.get(reverse("commissions:sitting_results", args=[world.sitting.pk])).content.decode()
    assert 'data-confirm="1 білім алушыны қатысып отырған барлық мүше әлі бағалаған жоқ, ол қазір' in html
