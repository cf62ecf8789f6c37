"""R33: grading (and the degree vote) opens only after the examination; announcing with students ungraded warns."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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
