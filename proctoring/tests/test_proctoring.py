import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from attestation.core.models import Notification
from commissions.models import Membership
from exams import services as exam_services
from exams.models import Attempt
from exams.tests.conftest import admitted, image_bytes, move, slot_of
from proctoring import services
from proctoring.models import Identification, Incident, Interruption, MemberIdentification, Recording, RoomCheck
from proctoring.tests.conftest import ready_for_identification, unanimous, unanimous_post

pytestmark = pytest.mark.django_db
S = Attempt.State


def identify(world, student=None):
    ready_for_identification(world, student or world.student)
    return services.identification_record(
        slot=slot_of(world, student or world.student),
        face_matches=True,
        stated_name_and_group=True,
        showed_original=True,
        actor=world.secretary,
    )


def test_identification_with_an_item_missing_is_refused_and_says_which(world):
    with pytest.raises(ValidationError, match="showed the original ID"):
        services.identification_record(
            slot=slot_of(world, world.student),
            face_matches=True,
            stated_name_and_group=True,
            showed_original=False,
            actor=world.secretary,
        )
    assert not Identification.objects.exists()


def test_full_identification_moves_the_student_to_identified_and_keeps_the_id_copy(world):
    ready_for_identification(world)
    copy = world.student.id_copies.get()
    identification = identify(world)
    assert identification.id_copy == copy and identification.by == world.secretary
    assert Attempt.objects.get(slot=identification.slot).state == S.IDENTIFIED


def test_the_id_copy_is_shown_to_the_secretary_and_nobody_else(client, world):
    copy = services.id_copy_upload(
        student=world.student, upload=SimpleUploadedFile("id.png", image_bytes("PNG")), actor=world.student.user
    )
    url = reverse("proctoring:id_copy_file", args=[copy.pk])
    client.force_login(world.secretary)
    desk = client.get(reverse("exams:desk", args=[slot_of(world, world.student).pk])).content.decode()
    assert url in desk
    assert client.get(url)["Content-Type"] == "image/png"
    for user in (world.member, world.outsider, world.other_student.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(world.student.user)
    assert client.get(url).status_code == 200


def test_the_desks_checklists_keep_each_box_beside_its_label(client, world):
    ready_for_identification(world)
    client.force_login(world.secretary)
    desk = client.get(reverse("exams:desk", args=[slot_of(world, world.student).pk])).content.decode()
    for name in ("face_matches", "stated_name_and_group", "showed_original"):
        assert f'class="form-check-input" id="id_{name}"' in desk, name


def test_a_renamed_html_id_copy_is_refused(client, world):
    client.force_login(world.student.user)
    response = client.post(
        reverse("proctoring:id_copy"), {"file": SimpleUploadedFile("id.jpg", b"<html></html>")}, follow=True
    )
    assert "not a photo" in response.content.decode()
    assert not world.student.id_copies.exists()


def test_refusing_the_room_check_stops_and_asks_the_commission(client, world):
    slot = identify(world).slot
    check = services.room_check_record(
        slot=slot, alone=False, devices_ok=False, room_shown=False, refused=True, note="", actor=world.secretary
    )
    assert Attempt.objects.get(slot=slot).state == S.STOPPED
    assert check.decision == RoomCheck.Decision.PENDING
    client.force_login(world.chair)
    assert "refused the room check" in client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    client.post(reverse("proctoring:room_check_decide", args=[check.pk]), {"decision": "suspend", **unanimous_post(world)})
    check.refresh_from_db()
    assert (check.decision, check.decided_by) == (RoomCheck.Decision.SUSPEND, world.chair)
    assert Attempt.objects.get(slot=slot).state == S.POSTPONED


def test_a_room_check_with_an_item_missing_is_neither_passed_nor_refused(world):
    slot = identify(world).slot
    with pytest.raises(ValidationError, match="Every item"):
        services.room_check_record(
            slot=slot, alone=True, devices_ok=False, room_shown=True, refused=False, note="", actor=world.secretary
        )


def test_a_member_cannot_decide_a_refused_room_check(client, world):
    slot = identify(world).slot
    check = services.room_check_record(
        slot=slot, alone=False, devices_ok=False, room_shown=False, refused=True, note="", actor=world.secretary
    )
    client.force_login(world.member)
    assert client.post(reverse("proctoring:room_check_decide", args=[check.pk]), {"decision": "end"}).status_code == 403


def test_interruption_reaches_the_console_and_the_commission_lets_the_student_continue(client, world, tickets):
    attempt = admitted(world)
    exam_services.ticket_draw(attempt=attempt, actor=world.student.user)
    slot = slot_of(world, world.student)
    client.force_login(world.student.user)
    client.post(reverse("proctoring:interruption_request", args=[slot.pk]), {"message": "Wi-Fi"})
    client.post(reverse("proctoring:interruption_request", args=[slot.pk]), {"message": "again"})
    interruption = Interruption.objects.get(slot=slot)
    assert Attempt.objects.get(slot=slot).state == S.INTERRUPTED
    client.force_login(world.secretary)
    assert "Wi-Fi" in client.get(reverse("exams:console_queue", args=[world.sitting.pk])).content.decode()
    client.post(
        reverse("proctoring:interruption_decide", args=[interruption.pk]), {"decision": "continue", **unanimous_post(world)}
    )
    assert Attempt.objects.get(slot=slot).state == S.PREPARING
    interruption.refresh_from_db()
    assert interruption.decided_by == world.secretary


def test_stop_decision_stops_the_attempt(world, tickets):
    admitted(world)
    interruption = services.interruption_request(slot=slot_of(world, world.student), message="", actor=world.student.user)
    services.interruption_decide(interruption=interruption, decision="stop", how=unanimous(world), actor=world.chair)
    assert Attempt.objects.get(slot=interruption.slot).state == S.STOPPED


def test_a_student_not_in_the_exam_cannot_ask_to_continue(world):
    with pytest.raises(ValidationError):
        services.interruption_request(slot=slot_of(world, world.student), message="", actor=world.student.user)


def test_technical_failure_act_is_a_pdf_sent_to_every_member_the_same_day(client, world):
    admitted(world)
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    client.post(
        reverse("proctoring:failure_act", args=[slot.pk]),
        {"occurred_at": "2020-05-12T09:20", "description": "Zoom серверi жауап бермедi", "language": "kk"},
    )
    act = slot.failure_acts.get()
    assert act.document.file.read(5) == b"%PDF-"
    assert Attempt.objects.get(slot=slot).state == S.TECHNICAL_FAILURE
    notified = set(Notification.objects.filter(kind="technical_failure_act").values_list("user", flat=True))
    assert notified == {world.chair.pk, world.member.pk, world.secretary.pk}
    assert act.sent_at.date() == timezone.now().date()
    client.force_login(world.member)
    assert client.get(reverse("proctoring:act_pdf", args=[act.pk]))["Content-Type"] == "application/pdf"
    client.force_login(world.outsider)
    assert client.get(reverse("proctoring:act_pdf", args=[act.pk])).status_code == 404
    # the student is offered another time
    exam_services.console_transition(attempt=Attempt.objects.get(slot=slot), to_state=S.POSTPONED, actor=world.secretary)


def test_the_technical_failure_act_names_whom_it_is_sent_to_and_claims_no_signature(world, tmp_path):
    """Issue 23: the act is sent to the members (R23), not signed by them: no blank signature lines that read as a
    signed paper, and no «the attestation was held» on an act that says it could not be."""
    admitted(world)
    slot = slot_of(world, world.student)
    act = services.failure_act_draw_up(
        slot=slot, description="Zoom серверi жауап бермедi", occurred_at=timezone.now(), language="kk", actor=world.secretary
    )
    path = tmp_path / "act.pdf"
    path.write_bytes(act.document.file.read())
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "___" not in text
    assert "Комиссия мүшелеріне жіберілді" in text and world.member.display_name in text
    assert "өткізілді" not in text


def test_incidents_are_recorded_with_time_and_screenshot(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.secretary)
    client.post(
        reverse("proctoring:incident", args=[slot.pk]),
        {"kind": "third_person", "note": "A voice", "screenshot": SimpleUploadedFile("s.png", image_bytes("PNG"))},
    )
    incident = Incident.objects.get(slot=slot)
    assert incident.recorded_by == world.secretary and incident.screenshot_kind == "png"


def test_a_proctor_records_incidents_and_an_outsider_cannot(client, world):
    slot = slot_of(world, world.student)
    services.proctor_assign(sitting=world.sitting, user=world.outsider, actor=world.secretary)
    client.force_login(world.outsider)
    assert client.get(reverse("exams:console", args=[world.sitting.pk])).status_code == 200
    client.post(reverse("proctoring:incident", args=[slot.pk]), {"kind": "left_view", "note": ""})
    assert Incident.objects.filter(recorded_by=world.outsider).exists()
    assert client.post(reverse("exams:move", args=[slot.pk]), {"to": S.ABSENT}).status_code == 403


def test_outsiders_get_404_on_proctoring_actions(client, world):
    slot = slot_of(world, world.student)
    client.force_login(world.outsider)
    for name in ("proctoring:identify", "proctoring:room_check", "proctoring:incident", "proctoring:failure_act"):
        assert client.post(reverse(name, args=[slot.pk])).status_code == 404
    assert client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).status_code == 404


def test_recordings_are_visible_by_audience_and_kept_at_least_until_the_sitting(client, world):
    keep = world.sitting.date + dt.timedelta(days=365)
    services.recording_add(
        sitting=world.sitting,
        url="https://rec.example.kz/1",
        keep_until=keep,
        audience=Recording.Audience.DEPARTMENT,
        note="",
        actor=world.secretary,
    )
    with pytest.raises(ValidationError):
        services.recording_add(
            sitting=world.sitting,
            url="https://rec.example.kz/2",
            keep_until=world.sitting.date - dt.timedelta(days=1),
            audience=Recording.Audience.COMMISSION,
            note="",
            actor=world.secretary,
        )
    client.force_login(world.head)
    assert "rec.example.kz/1" in client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()
    client.force_login(world.member)
    assert "rec.example.kz/1" not in client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()


def test_written_questions_when_video_fails_at_most_the_policy_number(client, world, tickets):
    attempt = admitted(world)
    exam_services.ticket_draw(attempt=attempt, actor=world.student.user)
    exam_services.written_mode_switch(attempt=attempt, actor=world.secretary)
    for i in range(3):
        exam_services.question_record(attempt=attempt, member=world.member, text=f"Q{i}", actor=world.secretary)
    with pytest.raises(ValidationError, match="at most 3"):
        exam_services.question_record(attempt=attempt, member=world.member, text="Q4", actor=world.secretary)
    question = attempt.questions_asked.first()
    slot = slot_of(world, world.student)
    client.force_login(world.student.user)
    client.post(reverse("exams:student_answer", args=[slot.pk, question.pk]), {"answer": "Жауап"})
    question.refresh_from_db()
    assert question.answer_text == "Жауап"
    client.force_login(world.other_student.user)
    assert client.post(reverse("exams:student_answer", args=[slot.pk, question.pk]), {"answer": "x"}).status_code == 404


def test_defense_questions_are_recorded_with_the_member(world):
    world.commission.form = "defense"
    world.commission.save()
    attempt = move(admitted(world), S.ANSWERING, actor=world.secretary)
    exam_services.speech_end(attempt=attempt, actor=world.secretary)
    question = exam_services.question_record(attempt=attempt, member=world.chair, text="Неге?", actor=world.secretary)
    assert (question.member, question.in_writing) == (world.chair, False)


def test_the_department_head_identifies_members_before_the_sitting(client, world):
    chair = Membership.objects.get(commission=world.commission, user=world.chair)
    url = reverse("proctoring:member_identify", args=[world.sitting.pk, chair.pk])
    client.force_login(world.secretary)
    assert client.post(url).status_code == 403
    client.force_login(world.head)
    client.post(url)
    client.post(url)  # twice: still once, with a message
    record = MemberIdentification.objects.get(sitting=world.sitting)
    assert (record.membership, record.by) == (chair, world.head)
    assert "identified by" in client.get(reverse("exams:console", args=[world.sitting.pk])).content.decode()
    secretary = Membership.objects.get(commission=world.commission, user=world.secretary)
    with pytest.raises(ValidationError):
        services.member_identify(sitting=world.sitting, membership=secretary, actor=world.head)
