"""Issue 23: a sitting does not open, and no grade or vote is recorded, unless the commission is formed — it has its
chair, members and technical secretary; the refusal names what is missing."""

import pytest
from django.core.exceptions import ValidationError

from attestation.tests.factories import UserFactory
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import Attendance, Commission, MemberGrade, Membership
from commissions.tests.conftest import everyone_present, set_policy
from exams import services as exams
from exams.admission.tests.conftest import register
from exams.models import Attempt

pytestmark = pytest.mark.django_db


def test_without_a_secretary_the_sitting_does_not_open(world):
    Membership.objects.filter(commission=world.commission, role=Membership.Role.SECRETARY).delete()
    with pytest.raises(ValidationError, match="technical secretary") as refused:
        attendance_record(actor=world.chair, sitting=world.sitting, present_ids=[])
    assert refused.value.code == "unformed" and not Attendance.objects.exists()


def test_without_members_no_grade_and_no_vote_is_recorded(world, slot):
    everyone_present(world)
    Membership.objects.filter(commission=world.commission, role=Membership.Role.MEMBER).delete()
    with pytest.raises(ValidationError, match="not formed: it has no members"):
        grading.grade_submit(actor=world.chair, slot=slot, points="90")
    with pytest.raises(ValidationError, match="not formed"):
        votes.vote_open(actor=world.chair, slot=slot)
    assert not MemberGrade.objects.exists()


def test_without_a_chair_the_student_is_not_admitted(world, slot):
    Membership.objects.filter(commission=world.commission, role=Membership.Role.CHAIR).delete()
    attempt = exams.attempt_for_slot(slot=slot)
    attempt = exams.attempt_transition(attempt=attempt, to_state=Attempt.State.IDENTIFIED, actor=world.secretary)
    with pytest.raises(ValidationError, match="a chair"):
        exams.attempt_transition(attempt=attempt, to_state=Attempt.State.ADMITTED, actor=world.secretary)


def test_a_formed_commission_grades(world, slot):
    everyone_present(world)
    assert grading.grade_submit(actor=world.member, slot=slot, points="90").points == 90


def _defense_with_thesis(world, supervisor, reviewer):
    Commission.objects.filter(pk=world.commission.pk).update(form=Commission.Form.DEFENSE)
    world.sitting.commission.refresh_from_db()
    return register(world.student, supervisor, reviewer)


def test_the_supervisor_does_not_grade_the_defense_of_their_thesis(world, slot):
    _defense_with_thesis(world, supervisor=world.member, reviewer=UserFactory(username="rev"))
    slot.sitting.commission.refresh_from_db()
    everyone_present(world)
    with pytest.raises(ValidationError, match="the supervisor of this thesis") as refused:
        grading.grade_submit(actor=world.member, slot=slot, points="95")
    assert world.member.display_name in str(refused.value) and refused.value.code == "adviser"
    assert grading.grade_submit(actor=world.chair, slot=slot, points="90")  # the chair is not an adviser


def test_the_reviewer_does_not_vote_on_the_defense_and_the_policy_may_allow_it(world, slot):
    _defense_with_thesis(world, supervisor=UserFactory(username="sup"), reviewer=world.member)
    slot.sitting.commission.refresh_from_db()
    everyone_present(world)
    vote_round = votes.vote_open(actor=world.chair, slot=slot, mode="open")
    with pytest.raises(ValidationError, match="external reviewer"):
        votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
    set_policy(world, thesis_advisers_may_not_grade=False)
    votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
