"""Attendance and quorum: grading and the degree vote need the voting members present that make the quorum."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.models import AuditEvent
from attestation.tests.factories import UserFactory, examined
from commissions import attendance, services
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import Attendance, MemberGrade, Membership
from commissions.tests.conftest import everyone_present

pytestmark = pytest.mark.django_db


def _ids(world, *users):
    return list(Membership.objects.filter(commission=world.commission, user__in=users).values_list("pk", flat=True))


def test_nobody_grades_before_the_secretary_records_who_is_present(world, slot):
    with pytest.raises(ValidationError, match="not yet recorded"):
        grading.grade_submit(actor=world.chair, slot=slot, points="90")
    assert not MemberGrade.objects.exists()


def test_two_of_three_voting_members_make_the_default_quorum_one_does_not(world, slot, member2):
    attendance.attendance_record(actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair))
    examined(world.sitting)
    with pytest.raises(ValidationError, match="needs 2 for a quorum"):
        grading.grade_submit(actor=world.chair, slot=slot, points="90")
    attendance.attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member, world.secretary)
    )
    examined(world.sitting)
    grading.grade_submit(actor=world.chair, slot=slot, points="90")
    with pytest.raises(ValidationError, match="recorded as absent"):
        grading.grade_submit(actor=member2, slot=slot, points="50")


def test_the_commission_grade_follows_from_the_members_present(world, slot, member2):
    attendance.attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member)
    )
    examined(world.sitting)
    grading.grade_submit(actor=world.chair, slot=slot, points="96")
    grading.grade_submit(actor=world.member, slot=slot, points="92")
    result = grading.result_decide(actor=world.chair, slot=slot)  # member2 is absent: two grades are all of them
    assert result.letter == "A-" and result.points == 94


def test_a_stricter_quorum_set_by_the_chair_refuses_two_of_three(world, slot, member2):
    services.commission_settings_update(
        actor=world.chair, commission=world.commission, quorum_numerator=3, quorum_denominator=3
    )
    attendance.attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member)
    )
    examined(world.sitting)
    with pytest.raises(ValidationError, match="needs 3"):
        grading.grade_submit(actor=world.chair, slot=slot, points="90")
    with pytest.raises(ValidationError, match="quorum"):
        votes.vote_open(actor=world.secretary, slot=slot)


def test_an_absent_member_does_not_vote(world, slot, other_slot, member2):
    attendance.attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member)
    )
    examined(world.sitting)
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    votes.vote_cast(actor=world.member, vote_round=vote_round, choice="for")
    with pytest.raises(ValidationError, match="recorded as absent"):
        votes.vote_cast(actor=member2, vote_round=vote_round, choice="against")
    secret = votes.vote_open(actor=world.secretary, slot=other_slot)  # a secret round seats only those present
    assert set(secret.trustees.values_list("membership__user", flat=True)) == {world.chair.pk, world.member.pk}
    with pytest.raises(ValidationError, match="recorded as absent"):
        votes.secret_ballot_cast(actor=member2, vote_round=secret, ballot={}, epoch=0)


def test_a_member_who_graded_cannot_be_marked_absent_and_attendance_is_audited(world, slot):
    everyone_present(world)
    grading.grade_submit(actor=world.member, slot=slot, points="80")
    with pytest.raises(ValidationError, match="cannot be marked absent"):
        attendance.attendance_record(
            actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.secretary)
        )
        examined(world.sitting)
    assert Attendance.objects.get(membership__user=world.member).present
    assert AuditEvent.objects.filter(verb="attendance.record").count() == 1


def test_only_the_secretary_or_the_chair_records_and_not_after_the_announcement(world, slot, announced):
    with pytest.raises(ValidationError, match="Only the secretary or the chair"):
        attendance.attendance_record(actor=world.member, sitting=world.sitting, present_ids=[])
        examined(world.sitting)
    with pytest.raises(ValidationError, match="announced"):
        attendance.attendance_record(
            actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member, world.secretary)
        )
        examined(world.sitting)


def test_secretary_records_attendance_on_the_grading_sheet(client, world, slot, member2):
    url = reverse("commissions:sitting_results", args=[world.sitting.pk])
    client.cookies["django_language"] = "en"
    client.force_login(world.secretary)
    page = client.get(url).content.decode()
    assert 'name="present"' in page and "attendance not recorded" in page
    client.post(
        reverse("commissions:attendance_record", args=[world.sitting.pk]),
        {"present": [str(pk) for pk in _ids(world, world.chair, world.member, world.secretary)]},
    )
    assert attendance.sitting_quorum(sitting=world.sitting).present_voting == 2
    assert "quorum: 2 of 3 voting members" in client.get(url).content.decode()
    client.force_login(world.member)
    page = client.get(url).content.decode()
    assert 'name="present"' not in page  # members see who is present, they do not record it
    assert client.post(reverse("commissions:attendance_record", args=[world.sitting.pk])).status_code == 403


def test_outsider_and_student_cannot_reach_attendance(client, world):
    url = reverse("commissions:attendance_record", args=[world.sitting.pk])
    for user in (world.outsider, world.student.user):
        client.force_login(user)
        assert client.post(url, {"present": []}).status_code == 404
    assert not Attendance.objects.exists()


def test_grading_panel_offers_no_form_without_quorum_or_to_an_absent_member(client, world, slot, member2):
    url = reverse("commissions:slot_results", args=[slot.pk])
    client.cookies["django_language"] = "en"
    client.force_login(world.member)
    assert 'name="points"' not in client.get(url).content.decode()  # attendance not recorded yet
    attendance.attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=_ids(world, world.chair, world.member)
    )
    examined(world.sitting)
    assert 'name="points"' in client.get(url).content.decode()
    client.force_login(member2)
    panel = client.get(url).content.decode()
    assert 'name="points"' not in panel and "recorded as absent" in panel


def test_a_member_of_another_commission_cannot_be_marked_present_and_nothing_is_recorded(world, slot):

    other = world.other_commission()
    stranger = Membership.objects.create(commission=other, user=UserFactory(), role=Membership.Role.MEMBER)
    own = list(world.commission.memberships.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="Only members of this commission"):
        attendance.attendance_record(actor=world.secretary, sitting=world.sitting, present_ids=[*own, stranger.pk])
        examined(world.sitting)
    assert not Attendance.objects.filter(sitting=world.sitting).exists()
