"""The live side of proctoring: another slot after a failure (R23), the identification window (R19), recordings'
retention (R21) and proctors assigned in the browser (R7). Times are real 2020 days in Almaty."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import AuditEvent, Notification
from attestation.institutions.models import Policy
from attestation.tests.factories import UserFactory
from commissions import services as commission_services
from commissions.models import Commission
from exams.models import Attempt
from exams.tests.conftest import admitted, slot_of
from proctoring import services
from proctoring.models import ProctorAssignment, Recording
from proctoring.tests.conftest import ready_for_identification

pytestmark = pytest.mark.django_db
S = Attempt.State
ALMATY = ZoneInfo("Asia/Almaty")
DURING = dt.datetime(2020, 5, 12, 9, 20, tzinfo=ALMATY)  # the world's sitting: Tuesday 12 May 2020, 09:00-14:00
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def later_sitting(world, date=dt.date(2020, 5, 14), starts=dt.time(9, 0), ends=dt.time(12, 0)):
    return commission_services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=date,
        starts_at=starts,
        ends_at=ends,
        meeting_url="https://zoom.us/j/2",
    )


def period_from_monday(world):
    """The period starts on Monday 11 May 2020 (a working day by the decree's transfer), the day before the world's
    sitting, so that an earlier sitting can exist: sittings are held only inside the attestation period."""
    Commission.objects.filter(pk=world.commission.pk).update(period_start=dt.date(2020, 5, 11))
    world.commission.refresh_from_db()


def failure_act(world):
    admitted(world)
    return services.failure_act_draw_up(
        slot=slot_of(world, world.student), description="Zoom fell", occurred_at=DURING, language="kk", actor=world.secretary
    )


# --- another slot after a technical failure (R23) -------------------------------------------------------------------


def test_the_secretary_gives_another_slot_the_student_is_told_and_sees_it(client, world):
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        sitting = later_sitting(world)
        client.force_login(world.secretary)
        page = client.get(reverse("proctoring:act", args=[act.pk])).content.decode()
        assert "14.05.2020 09:00" in page  # the later sitting is offered
        client.post(reverse("proctoring:act", args=[act.pk]), {"sitting": sitting.pk, "time": "10:30"})
    act.refresh_from_db()
    assert (act.new_slot.sitting, act.new_slot.student, act.new_slot_by) == (sitting, world.student, world.secretary)
    assert act.new_slot.starts_at == dt.datetime(2020, 5, 14, 10, 30, tzinfo=ALMATY)
    assert Attempt.objects.get(slot=act.slot).state == S.TECHNICAL_FAILURE
    notice = Notification.objects.get(user=world.student.user, kind="new_slot_after_failure")
    assert notice.url == reverse("commissions:slot", args=[act.new_slot.pk])
    client.force_login(world.student.user)
    schedule = client.get(reverse("commissions:my_schedule")).content.decode()
    assert reverse("commissions:slot", args=[act.new_slot.pk]) in schedule


def test_without_a_time_the_student_goes_after_the_last_one_of_the_sitting(world):
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        sitting = later_sitting(world)
        commission_services.slot_create(actor=world.secretary, sitting=sitting, student=world.other_student)
        slot = services.failure_act_offer_slot(act=act, sitting=sitting, actor=world.chair)
    assert slot.starts_at == dt.datetime(2020, 5, 14, 9, 15, tzinfo=ALMATY)


def test_a_sitting_already_over_is_refused(world):
    period_from_monday(world)
    earlier = later_sitting(world, date=dt.date(2020, 5, 11))
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        with pytest.raises(ValidationError, match="11.05.2020 is already over"):
            services.failure_act_offer_slot(act=act, sitting=earlier, actor=world.secretary)
    act.refresh_from_db()
    assert act.new_slot is None and not earlier.slots.exists()


def test_a_slot_outside_the_sittings_hours_is_refused_by_the_schedule(client, world):
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        sitting = later_sitting(world)  # 09:00-12:00, 15 minutes a student
        client.force_login(world.secretary)
        response = client.post(
            reverse("proctoring:act", args=[act.pk]), {"sitting": sitting.pk, "time": "11:50"}, follow=True
        )
    assert "does not fit in the sitting" in response.content.decode()
    assert not sitting.slots.exists()


def test_one_act_gives_one_other_slot(world):
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        services.failure_act_offer_slot(act=act, sitting=later_sitting(world), actor=world.secretary)
        with pytest.raises(ValidationError, match="already gave"):
            services.failure_act_offer_slot(
                act=act, sitting=later_sitting(world, date=dt.date(2020, 5, 15)), actor=world.secretary
            )


def test_a_member_sees_the_act_but_cannot_give_a_slot(client, world):
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        sitting = later_sitting(world)
        client.force_login(world.member)
        assert "offer-slot" not in client.get(reverse("proctoring:act", args=[act.pk])).content.decode()
        assert client.post(reverse("proctoring:act", args=[act.pk]), {"sitting": sitting.pk}).status_code == 403
    assert not sitting.slots.exists()


def test_only_later_sittings_of_the_same_commission_are_offered(world):
    period_from_monday(world)
    other = Commission.objects.get(pk=world.commission.pk)
    other.pk, other.order_number = None, "13-Б"
    other.save()
    with time_machine.travel(DURING, tick=False):
        act = failure_act(world)
        foreign = commission_services.sitting_create(
            actor=world.secretary,
            commission=other,
            date=dt.date(2020, 5, 14),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(12, 0),
        )
        mine, past = later_sitting(world), later_sitting(world, date=dt.date(2020, 5, 11))
        assert list(services.later_sittings(act=act)) == [mine]
        with pytest.raises(ValidationError, match="same commission"):
            services.failure_act_offer_slot(act=act, sitting=foreign, actor=world.secretary)
    assert not foreign.slots.exists() and not past.slots.exists()


# --- the identification window (R19) ---------------------------------------------------------------------------------


def test_identification_before_the_window_is_refused_and_says_when_it_opens(world):
    ready_for_identification(world)
    slot = slot_of(world, world.student)  # 09:00; the policy says 30 minutes before
    with (
        time_machine.travel(dt.datetime(2020, 5, 12, 8, 29, tzinfo=ALMATY), tick=False),
        pytest.raises(ValidationError, match="opens at 08:30 on 12.05.2020"),
    ):
        services.identification_record(
            slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
        )
    assert Attempt.objects.filter(slot=slot, state=S.IDENTIFIED).count() == 0
    with time_machine.travel(dt.datetime(2020, 5, 12, 8, 30, tzinfo=ALMATY), tick=False):
        services.identification_record(
            slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
        )
    assert Attempt.objects.get(slot=slot).state == S.IDENTIFIED


def test_a_longer_policy_window_opens_identification_earlier(world):
    Policy.objects.filter(institution=world.institution).update(identification_minutes_before=45)
    ready_for_identification(world)
    slot = slot_of(world, world.student)  # 09:00: 45 minutes before is 08:15, which the default 30 would refuse
    with time_machine.travel(dt.datetime(2020, 5, 12, 8, 15, tzinfo=ALMATY), tick=False):
        identification = services.identification_record(
            slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
        )
    assert identification.slot == slot
    assert Attempt.objects.get(slot=slot).state == S.IDENTIFIED


def test_the_console_shows_when_each_students_identification_opens(client, world):
    client.force_login(world.secretary)
    url = reverse("exams:console_queue", args=[world.sitting.pk])
    with time_machine.travel(dt.datetime(2020, 5, 12, 8, 40, tzinfo=ALMATY), tick=False):
        page = client.get(url).content.decode()
    # the first student (09:00) may be identified now; the second (09:15) from 08:45
    assert page.count("identification open") == 1 and "identification from 08:45" in page


# --- recordings (R21) -------------------------------------------------------------------------------------------------


def add_link(world, **kwargs):
    return services.recording_add(
        sitting=world.sitting,
        url="https://rec.example.kz/1",
        audience=Recording.Audience.COMMISSION,
        note="",
        actor=world.secretary,
        **kwargs,
    )


def test_keep_until_defaults_to_the_policys_retention_and_a_shorter_one_is_refused(world):
    Policy.objects.filter(institution=world.institution).update(recording_retention_days=90)
    assert add_link(world).keep_until == dt.date(2020, 8, 10)  # 12 May + 90 days
    with pytest.raises(ValidationError, match="at least until 10.08.2020"):
        add_link(world, keep_until=dt.date(2020, 8, 9))


def test_a_policy_cannot_keep_recordings_less_than_the_bound(world):
    policy = Policy.objects.get(institution=world.institution)
    policy.recording_retention_days = 29
    with pytest.raises(ValidationError, match="less than 30"):
        policy.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Policy.objects.filter(pk=policy.pk).update(recording_retention_days=29)


def test_a_live_recording_without_link_or_file_cannot_be_stored(world):
    recording = add_link(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recording.objects.filter(pk=recording.pk).update(url="")
    with pytest.raises(ValidationError, match="either a link"):
        services.recording_add(sitting=world.sitting, audience=Recording.Audience.COMMISSION, note="", actor=world.secretary)


def test_a_renamed_page_is_not_stored_as_a_video(world):
    with pytest.raises(ValidationError, match="not really a MP4 video"):
        services.recording_add(
            sitting=world.sitting,
            file=SimpleUploadedFile("rec.mp4", b"<html><script>x"),
            audience=Recording.Audience.COMMISSION,
            note="",
            actor=world.secretary,
        )
    assert not Recording.objects.exists()


def test_the_sweep_deletes_the_file_after_the_keep_until_day_once_and_audits(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    recording = services.recording_add(
        sitting=world.sitting,
        file=SimpleUploadedFile("rec.mp4", MP4),
        keep_until=dt.date(2021, 5, 12),
        audience=Recording.Audience.DEPARTMENT,
        note="",
        actor=world.secretary,
    )
    stored = recording.file.name
    assert recording.file.storage.exists(stored)
    midnight = dt.datetime(2021, 5, 13, 0, 0, tzinfo=ALMATY)
    deadlines_sweep(now=midnight - dt.timedelta(seconds=1))  # kept through the whole keep-until day
    recording.refresh_from_db()
    assert recording.expired_at is None and recording.file.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_sweep(now=midnight) == 1
    recording.refresh_from_db()
    assert recording.expired_at == midnight and not recording.file
    assert not recording.file.storage.exists(stored)
    assert deadlines_sweep(now=midnight + dt.timedelta(days=1)) == 0
    assert services.recording_expire(recording_pk=recording.pk, now=midnight + dt.timedelta(days=2)) is False
    assert AuditEvent.objects.filter(verb="recording.expire", object_id=str(recording.pk)).count() == 1


def test_an_expired_link_is_shown_expired_and_no_longer_linked(client, world):
    recording = add_link(world)
    services.recording_expire(
        recording_pk=recording.pk,
        now=dt.datetime.combine(recording.keep_until + dt.timedelta(days=1), dt.time(1), tzinfo=ALMATY),
    )
    client.force_login(world.chair)
    page = client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()
    assert "recording-expired" in page and 'href="https://rec.example.kz/1"' not in page


def test_the_secretary_uploads_a_recording_file_the_commission_downloads_it(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.secretary)
    client.post(
        reverse("proctoring:recordings", args=[world.sitting.pk]),
        {"file": SimpleUploadedFile("rec.mp4", MP4), "audience": "commission", "note": "Zoom"},
    )
    recording = Recording.objects.get()
    client.force_login(world.member)
    page = client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()
    assert formats.date_format(recording.keep_until, "SHORT_DATE_FORMAT") in page
    response = client.get(reverse("proctoring:recording_file", args=[recording.pk]))
    assert response["Content-Disposition"].startswith("attachment") and b"".join(response.streaming_content) == MP4
    client.force_login(world.other_student.user)
    assert client.get(reverse("proctoring:recording_file", args=[recording.pk])).status_code == 404


def test_recordings_page_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    def fill(n):
        for i in range(n):
            add_link(world)
            services.proctor_assign(
                sitting=world.sitting,
                user=UserFactory(),
                actor=world.secretary,
                slot=slot_of(world, world.student) if i % 2 else None,
            )

    client.force_login(world.head)
    url = reverse("proctoring:recordings", args=[world.sitting.pk])
    fill(2)
    client.get(url)

    with CaptureQueriesContext(connection) as two:
        client.get(url)
    fill(20)
    with django_assert_num_queries(len(two.captured_queries)):
        client.get(url)


# --- proctors (R7) ------------------------------------------------------------------------------------------------------


def test_the_head_assigns_a_proctor_to_one_student_who_reaches_only_that_desk(client, world):
    proctor = UserFactory(username="proctor1")
    mine, other = slot_of(world, world.student), slot_of(world, world.other_student)
    client.force_login(world.head)
    client.post(reverse("proctoring:proctor_assign", args=[world.sitting.pk]), {"username": "proctor1", "slot": mine.pk})
    assignment = ProctorAssignment.objects.get(user=proctor)
    assert (assignment.slot, assignment.assigned_by) == (mine, world.head)
    assert "proctor1" in client.get(reverse("proctoring:recordings", args=[world.sitting.pk])).content.decode()
    client.force_login(proctor)
    assert client.get(reverse("exams:desk", args=[mine.pk])).status_code == 200
    assert client.get(reverse("exams:desk", args=[other.pk])).status_code == 404


def test_a_removed_proctor_reaches_nothing_of_the_sitting(client, world):
    proctor = UserFactory(username="proctor1")
    assignment = services.proctor_assign(sitting=world.sitting, user=proctor, actor=world.secretary)
    client.force_login(world.secretary)
    client.post(reverse("proctoring:proctor_remove", args=[assignment.pk]))
    assert not ProctorAssignment.objects.exists()
    assert AuditEvent.objects.filter(verb="proctor.remove").count() == 1
    client.force_login(proctor)
    assert client.get(reverse("exams:console", args=[world.sitting.pk])).status_code == 404


def test_a_member_cannot_assign_and_a_commission_member_cannot_be_a_proctor(client, world):
    client.force_login(world.member)
    response = client.post(reverse("proctoring:proctor_assign", args=[world.sitting.pk]), {"username": "outsider"})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="on the commission"):
        services.proctor_assign(sitting=world.sitting, user=world.member, actor=world.secretary)


def test_a_second_assignment_of_the_same_person_is_refused_with_a_message(client, world):
    client.force_login(world.secretary)
    url = reverse("proctoring:proctor_assign", args=[world.sitting.pk])
    client.post(url, {"username": "outsider"})
    response = client.post(url, {"username": "outsider", "slot": slot_of(world, world.student).pk}, follow=True)
    assert "already a proctor of this sitting" in response.content.decode()
    assert ProctorAssignment.objects.filter(user=world.outsider).count() == 1
