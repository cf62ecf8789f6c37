import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.core.deadlines import deadlines_sweep
from attestation.core.models import Notification
from attestation.tests.factories import World
from exams.preparation import services
from exams.preparation.models import PreparationStep, Webinar
from exams.preparation.selectors import step_views

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")
START = dt.date(2020, 5, 25)  # review lectures start Mon 25 May 2020


def test_r14_dates_count_back_from_the_start_of_the_review_lectures(world):
    series = services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    due = {s.kind: s.due_on for s in series.steps.all()}
    assert due[PreparationStep.Kind.PROGRAMME_APPROVED] == dt.date(2020, 3, 25)
    assert due[PreparationStep.Kind.HANDED_TO_SECRETARY] == dt.date(2020, 4, 25)
    assert due[PreparationStep.Kind.RECORDINGS_PUBLISHED] == dt.date(2020, 5, 11)


def test_moving_the_start_moves_the_steps(world):
    services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    series = services.series_set(actor=world.head, commission=world.commission, starts_on=dt.date(2020, 6, 15))
    assert series.steps.get(kind="recordings_published").due_on == dt.date(2020, 6, 1)


def test_the_head_is_reminded_working_days_before_a_step_once(world):
    services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    # Recordings due Mon 11 May 2020; 3 working days before skips 7-10 May: Tue 5 May at 09:00.
    deadlines_sweep(now=dt.datetime(2020, 5, 5, 9, 1, tzinfo=ALMATY))
    deadlines_sweep(now=dt.datetime(2020, 5, 5, 10, 0, tzinfo=ALMATY))
    reminders = Notification.objects.filter(user=world.head, kind="preparation_step_reminder")
    assert reminders.count() == 3  # every step of this late-set series is due


def test_a_step_done_gets_no_reminder(world):
    series = services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    for step in series.steps.exclude(kind="programme_approved"):
        services.step_mark_done(actor=world.head, step=step)
    deadlines_sweep(now=dt.datetime(2020, 5, 20, tzinfo=ALMATY))
    assert Notification.objects.filter(user=world.head, kind="preparation_step_reminder").count() == 1


def test_step_states_done_due_late(world):
    series = services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    services.step_mark_done(actor=world.head, step=series.steps.get(kind="handed_to_secretary"))
    states = {v.step.kind: v.state for v in step_views(series, today=dt.date(2020, 5, 1))}
    assert states == {"programme_approved": "late", "handed_to_secretary": "done", "recordings_published": "due"}


def test_programme_approval_is_not_ticked_by_hand(world):
    series = services.series_set(actor=world.head, commission=world.commission, starts_on=START)
    with pytest.raises(ValidationError):
        services.step_mark_done(actor=world.head, step=series.steps.get(kind="programme_approved"))


def test_students_are_told_of_their_webinar(world):
    webinar = services.webinar_create(
        actor=world.head,
        commission=world.commission,
        audience="students",
        starts_at=dt.datetime(2020, 5, 5, 15, tzinfo=ALMATY),
        url="https://zoom.us/j/5",
    )
    told = set(Notification.objects.filter(kind="webinar").values_list("user_id", flat=True))
    assert told == {world.student.user_id, world.other_student.user_id}
    assert webinar.audience == Webinar.Audience.STUDENTS


def test_a_colleges_webinar_must_be_3_to_5_working_days_before(db):
    world = World.build(kind="tvet")  # attestation from Tue 12 May 2020
    with pytest.raises(ValidationError) as exc:
        services.webinar_create(
            actor=world.head,
            commission=world.commission,
            audience="students",
            starts_at=dt.datetime(2020, 5, 11, 10, tzinfo=ALMATY),
            url="https://zoom.us/j/5",
        )
    assert "starts_at" in exc.value.message_dict
    # Mon 4 May: 5, 6, 11, 12 May are working days after it, 4 working days up to the start.
    services.webinar_create(
        actor=world.head,
        commission=world.commission,
        audience="students",
        starts_at=dt.datetime(2020, 5, 4, 10, tzinfo=ALMATY),
        url="https://zoom.us/j/5",
    )


def test_attendance_is_marked_for_the_audience(client, world):
    webinar = services.webinar_create(
        actor=world.head,
        commission=world.commission,
        audience="students",
        starts_at=dt.datetime(2020, 5, 5, 15, tzinfo=ALMATY),
        url="https://zoom.us/j/5",
    )
    client.force_login(world.secretary)
    url = reverse("preparation:attendance", args=[webinar.pk])
    assert client.post(url, {"present": [world.student.user_id]}).status_code == 302
    assert {a.user_id: a.attended for a in webinar.attendance.all()} == {
        world.student.user_id: True,
        world.other_student.user_id: False,
    }


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_only_the_department_prepares(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.post(reverse("preparation:series", args=[world.commission.pk]), {"starts_on": "2020-05-25"})
    assert response.status_code == 404


def test_the_department_page_shows_the_steps(client, world):
    client.force_login(world.head)
    client.post(reverse("preparation:series", args=[world.commission.pk]), {"starts_on": "2020-05-25"})
    content = client.get(reverse("institutions:department", args=[world.department.pk])).content.decode()
    assert "25.03.2020" in content


def test_students_see_webinars_and_lectures_on_their_home_page(client, world):
    services.webinar_create(
        actor=world.head,
        commission=world.commission,
        audience="students",
        starts_at=dt.datetime(2020, 5, 5, 15, tzinfo=ALMATY),
        url="https://zoom.us/j/77",
    )
    client.force_login(world.student.user)
    assert "https://zoom.us/j/77" in client.get("/").content.decode()
    client.force_login(world.outsider)
    assert "https://zoom.us/j/77" not in client.get("/").content.decode()


def test_the_students_webinar_is_in_their_calendar_file(client, world):
    webinar = services.webinar_create(
        actor=world.head,
        commission=world.commission,
        audience="students",
        starts_at=dt.datetime(2020, 5, 5, 15, tzinfo=ALMATY),
        url="https://zoom.us/j/5",
    )
    client.force_login(world.student.user)
    body = client.get(reverse("commissions:my_schedule_ics")).content.decode()
    assert f"webinar-{webinar.pk}@" in body
