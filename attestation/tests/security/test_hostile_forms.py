"""Hostile form values through the pages: huge strings, impossible numbers and dates, and ids of other objects in
POST bodies. Each is refused with a message the person can read (never a 500) and nothing is saved."""

import pytest
from django.apps import apps
from django.db.models import TextField
from django.test import Client
from django.urls import reverse

from appeals.models import Appeal
from attestation.tests.factories import UserFactory, examined
from attestation.tests.security.test_hostile_uploads import _announced_result
from commissions import services as commission_services
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import Attendance, EncryptedBallot, MemberGrade, Membership, OpenVote, Result, Slot
from commissions.tests.conftest import set_policy
from exams.models import QuestionAsked
from proctoring.models import TechnicalFailureAct

pytestmark = pytest.mark.django_db
HUGE = "Ә" * 200_000


@pytest.fixture
def slot(world):
    attendance_record(
        actor=world.secretary, sitting=world.sitting, present_ids=world.commission.memberships.values_list("pk", flat=True)
    )
    examined(world.sitting)
    return Slot.objects.get(sitting=world.sitting, student=world.student)


@pytest.fixture
def other_commission(world):
    """A second commission of the same institution, with its own chair and member."""
    commission = world.other_commission()
    for name, role in (("other-chair", Membership.Role.CHAIR), ("other-member", Membership.Role.MEMBER)):
        commission_services.membership_add(
            actor=world.head, commission=commission, user=UserFactory(username=name), role=role
        )
    return commission


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    "points",
    [
        "9" * 5000,
        "NaN",
        "Infinity",
        "-Infinity",
        "1e999",
        "-1",
        "100.001",
        "1,2,3",
        "<script>alert(1)</script>",
        "",
        " ",
        "0x64",
    ],
)
def test_a_hostile_grade_is_refused_with_a_message_and_not_saved(client, world, slot, points):
    client.force_login(world.member)
    response = client.post(
        reverse("commissions:grade_submit", args=[slot.pk]), {"points": points, "confirmed": "1"}, follow=True
    )
    assert response.status_code == 200
    assert _messages(response), "the member is told why"
    assert not MemberGrade.objects.exists()


@pytest.mark.parametrize("tie_break", ["Z", "A" * 10_000, "<b>A</b>", "\x00"])
def test_a_hostile_tie_break_decides_nothing(client, world, slot, tie_break):
    set_policy(world, commission_grade_rule="majority_letter")
    grading.grade_submit(actor=world.chair, slot=slot, points="70")  # C+
    grading.grade_submit(actor=world.member, slot=slot, points="96")  # A: a tie, the chair's letter wins
    client.force_login(world.chair)
    client.post(reverse("commissions:result_decide", args=[slot.pk]), {"tie_break": tie_break})
    assert Result.objects.get(slot=slot).letter == "C+"  # the chair's letter, not the value posted


@pytest.mark.parametrize("choice", ["", "yes", "FOR", HUGE, "for'; DROP TABLE commissions_openvote; --"])
def test_a_hostile_vote_choice_records_no_vote(client, world, slot, choice):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    client.force_login(world.member)
    response = client.post(
        reverse("commissions:vote_cast", args=[vote_round.pk]), {"choice": choice, "confirmed": "1"}, follow=True
    )
    assert response.status_code == 200 and _messages(response)
    assert not OpenVote.objects.exists() and not EncryptedBallot.objects.exists()


def test_a_vote_of_another_commissions_student_is_not_found(client, world, slot, other_commission):
    vote_round = votes.vote_open(actor=world.secretary, slot=slot, mode="open")
    client.force_login(other_commission.memberships.get(role=Membership.Role.MEMBER).user)
    assert client.post(reverse("commissions:vote_cast", args=[vote_round.pk]), {"choice": "for"}).status_code == 404
    assert not OpenVote.objects.exists()


def test_a_member_of_another_commission_cannot_be_marked_present(client, world, slot, other_commission):
    stranger = other_commission.memberships.get(role=Membership.Role.MEMBER)
    own = list(world.commission.memberships.values_list("pk", flat=True))
    client.force_login(world.secretary)
    client.post(
        reverse("commissions:attendance_record", args=[world.sitting.pk]),
        {"present": [*map(str, own), str(stranger.pk), "99999999999999999999", "-1", "x"]},
    )
    assert not Attendance.objects.filter(membership=stranger).exists()
    assert set(
        Attendance.objects.filter(sitting=world.sitting, present=True).values_list("membership_id", flat=True)
    ) == set(own)


def test_a_question_cannot_be_put_in_the_name_of_another_commissions_member(client, world, slot, other_commission):
    stranger = other_commission.memberships.get(role=Membership.Role.MEMBER)
    client.force_login(world.secretary)
    response = client.post(reverse("exams:desk_question", args=[slot.pk]), {"member": str(stranger.pk), "text": "Сұрақ"})
    assert response.status_code == 404
    assert not QuestionAsked.objects.exists()


@pytest.mark.parametrize(
    "occurred_at", ["2020-02-30T10:00", "2020-13-01T10:00", "12.05.2020 10:00", "", "9999999-01-01T00:00", HUGE[:5000]]
)
def test_an_impossible_failure_time_draws_up_no_act(client, world, slot, occurred_at):
    client.force_login(world.secretary)
    response = client.post(
        reverse("proctoring:failure_act", args=[slot.pk]),
        {"occurred_at": occurred_at, "description": "Байланыс үзілді", "language": "kk"},
        follow=True,
    )
    assert response.status_code == 200 and _messages(response)
    assert not TechnicalFailureAct.objects.exists()


def test_a_huge_appeal_is_refused_and_not_filed(client, world):
    result = _announced_result(world)
    client.force_login(world.student.user)
    response = client.post(reverse("appeals:file", args=[result.pk]), {"reasons": HUGE})
    assert response.status_code in (200, 400)
    assert "5000" in response.content.decode() or "5 000" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_huge_login_is_refused_without_an_error_page(client):
    response = client.post(reverse("login"), {"username": HUGE, "password": HUGE})
    assert response.status_code == 200
    assert "form" in response.content.decode()


def _huge_posts(world, slot):
    grade = grading.grade_submit(actor=world.member, slot=slot, points="70")
    member = str(world.commission.memberships.get(user=world.member).pk)
    return [
        (world.secretary, "proctoring:room_check", [slot.pk], {"note": HUGE, "refused": "on"}),
        (world.secretary, "proctoring:incident", [slot.pk], {"kind": "other", "note": HUGE}),
        (world.chair, "commissions:grade_correct", [grade.pk], {"points": "80", "reason": HUGE}),
        (world.student.user, "proctoring:interruption_request", [slot.pk], {"message": HUGE}),
        (world.student.user, "exams:student_report_video", [slot.pk], {"url": "https://x.kz/" + "a" * 100_000}),
        (world.member, "commissions:opinion_record", [slot.pk], {"text": HUGE, "subject": HUGE}),
        (world.secretary, "exams:desk_question", [slot.pk], {"member": member, "text": HUGE}),
        (world.secretary, "exams:move", [slot.pk], {"to": HUGE}),
        (world.secretary, "commissions:vote_open", [slot.pk], {"mode": HUGE}),
        (world.student.user, "set_language", [], {"language": HUGE}),
    ]


def test_huge_strings_in_every_desk_and_grading_form_are_refused_and_nothing_huge_is_kept(world, slot):
    client = Client(raise_request_exception=False)
    for user, name, args, data in _huge_posts(world, slot):
        client.force_login(user)
        response = client.post(reverse(name, args=args), data)
        assert response.status_code in (302, 400), (name, response.status_code)
    for model in apps.get_models():  # no text column of ours took the 200,000 characters
        if model._meta.app_label in ("commissions", "exams", "proctoring", "appeals", "core"):
            for field in [f for f in model._meta.fields if isinstance(f, TextField)]:
                lengths = [len(v or "") for v in model.objects.values_list(field.name, flat=True)]
                assert max(lengths, default=0) < 10_000, f"{model.__name__}.{field.name}"
