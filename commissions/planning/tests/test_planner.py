"""The planner in the browser's terms: propose, move (refused with the broken rule), lock, publish (students and
members told; a later change tells only those it touches), rescheduling, members' days off."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from attestation.core.deadlines import Deadline
from attestation.core.models import Notification
from attestation.tests.factories import StudentFactory
from commissions import services as commission_services
from commissions.models import Result, Slot
from commissions.planning import services
from commissions.planning.models import MemberUnavailability, PlanDraft

pytestmark = pytest.mark.django_db

# Monday 4 May 2020: before the world's attestation period (12 May – 30 June 2020).
BEFORE = dt.datetime(2020, 5, 4, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(BEFORE, tick=False):
        yield


@pytest.fixture
def crowd(world):
    return [StudentFactory(group=world.group, first_name_kk=f"Студент{i}") for i in range(12)]


def url(name, world):
    return reverse(f"commissions:{name}", args=[world.commission.pk])


def propose(client, world):
    client.force_login(world.secretary)
    assert client.post(url("plan_propose", world)).status_code == 302
    return PlanDraft.objects.get(commission=world.commission)


def test_propose_places_every_student_and_keeps_every_rule(client, world, crowd):
    draft = propose(client, world)
    assert draft.troubles == []
    assert len(draft.placements) == 14
    assert services.draft_violations(draft) == []
    page = client.get(url("plan", world))
    assert page.status_code == 200
    assert page.content.decode().count('data-test="placement"') == 14
    assert draft.objective["days_used"] == 1


def test_publish_puts_the_timetable_in_cabinets_and_tells_everyone(client, world, crowd):
    propose(client, world)
    response = client.post(url("plan_publish", world), follow=True)
    assert response.status_code == 200
    slots = Slot.objects.filter(sitting__commission=world.commission)
    assert slots.count() == 14
    assert Deadline.objects.filter(kind="slot_reminder").count() == 14  # every placement went through slot_create
    newcomer = crowd[0]
    assert Notification.objects.filter(user=newcomer.user, kind="timetable_slot").count() == 1
    for person in (world.chair, world.member, world.secretary):
        assert Notification.objects.filter(user=person, kind="timetable_members").count() == 1
    client.force_login(newcomer.user)
    assert "Комиссия" in client.get(reverse("commissions:my_schedule")).content.decode()
    assert b"BEGIN:VEVENT" in client.get(reverse("commissions:my_schedule_ics")).content


def test_a_later_change_tells_only_the_student_it_moves(client, world, crowd):
    draft = propose(client, world)
    client.post(url("plan_publish", world))
    Notification.objects.all().delete()
    moved = draft.placements[-1]
    client.post(url("plan_move", world), {"student": moved[0], "date": "2020-05-13", "time": "10:00"})
    client.post(url("plan_publish", world))
    told = Notification.objects.filter(kind="timetable_slot")
    assert [n.user_id for n in told] == [StudentFactory._meta.model.objects.get(pk=moved[0]).user_id]
    assert "13.05.2020" in told[0].body or "13.05.2020" in told[0].subject


def test_a_move_onto_a_day_off_is_refused_naming_the_rule(client, world, crowd):
    draft = propose(client, world)
    student = draft.placements[0][0]
    response = client.post(url("plan_move", world), {"student": student, "date": "2020-05-16", "time": "10:00"}, follow=True)
    text = response.content.decode()
    assert "16.05.2020" in text
    assert PlanDraft.objects.get(pk=draft.pk).placements == draft.placements


def test_a_move_into_identification_time_is_refused(world, crowd):
    with time_machine.travel(BEFORE, tick=False):
        draft = services.plan_propose(actor=world.secretary, commission=world.commission)
    opening = draft.sittings[0][1]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.plan_move(
            actor=world.secretary, draft=draft, student_id=draft.placements[-1][0], date=dt.date(2020, 5, 12), start=opening
        )
    assert "Identification takes 30 min before the first student" in " ".join(refused.value.messages)


def test_locked_students_stay_when_re_solving(client, world, crowd):
    draft = propose(client, world)
    student = draft.placements[-1][0]
    client.post(url("plan_move", world), {"student": student, "date": "2020-05-13", "time": "11:00"})
    client.post(url("plan_lock", world), {"students": str(student), "locked": "1"})
    draft = propose(client, world)
    row = next(r for r in draft.placements if r[0] == student)
    assert row[1:] == ["2020-05-13", 11 * 60, 15, True]


def test_infeasible_input_names_the_limit_and_is_no_error_page(client, world, crowd):
    world.commission.period_end = dt.date(2020, 5, 12)
    world.commission.save()
    [StudentFactory(group=world.group) for _ in range(10)]  # 24 students × 15 min + 1 h > 5 h
    propose(client, world)
    page = client.get(url("plan", world))
    assert page.status_code == 200
    text = page.content.decode()
    assert "6B06101" in text and "12.05.2020" in text and "5" in text
    assert 'data-test="troubles"' in text


def test_a_declared_day_off_keeps_the_commission_off_it(client, world, crowd):
    client.force_login(world.member)
    client.post(reverse("commissions:my_unavailable"), {"date": "2020-05-12", "reason": "конференция"})
    assert MemberUnavailability.objects.filter(user=world.member, date=dt.date(2020, 5, 12)).exists()
    draft = propose(client, world)
    assert "2020-05-12" not in {row[0] for row in draft.sittings}


def test_a_missed_student_is_not_rescheduled_by_hand_but_by_the_chairs_decision(client, world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.ABSENT)
    commission_services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 14),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
    )
    client.force_login(world.secretary)
    commission_page = client.get(reverse("commissions:commission", args=[world.commission.pk])).content.decode()
    assert world.student.full_name in commission_page
    assert reverse("commissions:reschedule", args=[slot.pk]) not in commission_page
    page = client.post(reverse("commissions:reschedule", args=[slot.pk]), follow=True).content.decode()
    assert "тек төрағаның дәлелді себебін растайтын құжаты бар өтініші бойынша шешімімен" in page  # the page is Kazakh
    assert not Slot.objects.filter(student=world.student).exclude(pk=slot.pk).exists()


def test_reschedule_offers_the_next_sitting_day_and_one_click_accepts(client, world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.POSTPONED)
    commission_services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 14),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
    )
    client.force_login(world.secretary)
    page = client.get(reverse("commissions:reschedule", args=[slot.pk]))
    assert page.status_code == 200 and 'data-test="accept"' in page.content.decode()
    client.post(reverse("commissions:reschedule", args=[slot.pk]))
    new = Slot.objects.filter(student=world.student).exclude(pk=slot.pk).get()
    assert new.sitting.date == dt.date(2020, 5, 14)
    assert Notification.objects.filter(user=world.student.user, kind="timetable_slot").exists()
    assert Notification.objects.filter(user=world.chair, kind="timetable_members").exists()


def test_a_postponement_is_offered_a_new_day_before_the_cutoff(world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.POSTPONED)
    slot.refresh_from_db()
    offer = services.reschedule_offer(slot=slot, until=dt.date(2020, 6, 30))
    assert not isinstance(offer, str)
    assert dt.date(2020, 5, 12) < offer.date <= dt.date(2020, 6, 30)
    assert offer.sitting is None


def test_a_slot_shorter_than_the_policy_is_refused(world):
    student = StudentFactory(group=world.group)
    with pytest.raises(Exception, match="at least"):
        commission_services.slot_create(actor=world.secretary, sitting=world.sitting, student=student, duration_minutes=5)


def test_the_plan_page_costs_the_same_queries_with_2_and_50_students(client, world, django_assert_num_queries):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("plan", world)).status_code == 200
        return len(ctx.captured_queries)

    propose(client, world)
    few = count()
    [StudentFactory(group=world.group) for _ in range(48)]
    propose(client, world)
    assert count() == few


def test_outsiders_cannot_see_or_change_the_plan(client, world):
    client.force_login(world.outsider)
    assert client.get(url("plan", world)).status_code == 404
    assert client.post(url("plan_propose", world)).status_code == 404
    client.force_login(world.member)
    assert client.get(url("plan", world)).status_code == 403


def test_a_day_already_examined_keeps_its_sitting_and_gets_no_new_students(client, world, crowd):
    Slot.objects.filter(sitting=world.sitting, student=world.student).update(status=Slot.Status.DONE)
    draft = propose(client, world)
    assert "2020-05-12" not in {row[0] for row in draft.sittings}
    client.post(url("plan_publish", world))
    world.sitting.refresh_from_db()
    assert (world.sitting.starts_at, world.sitting.ends_at) == (dt.time(9), dt.time(14))
    assert Slot.objects.get(sitting=world.sitting, student=world.student).status == Slot.Status.DONE


def test_a_missed_student_is_offered_only_the_next_sitting_day(client, world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.ABSENT)
    slot.refresh_from_db()
    for day in (14, 15):
        commission_services.sitting_create(
            actor=world.secretary,
            commission=world.commission,
            date=dt.date(2020, 5, day),
            starts_at=dt.time(9),
            ends_at=dt.time(9, 45),
        )
    offer = services.reschedule_offer(slot=slot)
    assert offer.date == dt.date(2020, 5, 14)
    later = services.Offer(dt.date(2020, 5, 15), 10 * 60, 15, None)
    with pytest.raises(ValidationError, match="next sitting day is 14.05.2020"):
        services.reschedule_accept(actor=world.secretary, slot=slot, offer=later)


def test_a_graded_student_is_not_offered_a_new_place(world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Result.objects.create(slot=slot, letter="F", traditional="2", source="commission", decided_at=BEFORE)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.ABSENT)
    slot.refresh_from_db()
    assert "already has the grade F" in services.reschedule_offer(slot=slot)


def test_a_postponed_students_new_place_on_a_saturday_is_refused(world):
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.POSTPONED)
    slot.refresh_from_db()
    saturday = services.Offer(dt.date(2020, 5, 16), 10 * 60, 15, None)
    with translation.override("en"), pytest.raises(ValidationError, match="16.05.2020: it is a day off"):
        services.reschedule_accept(actor=world.secretary, slot=slot, offer=saturday)
    assert not Slot.objects.filter(student=world.student).exclude(pk=slot.pk).exists()


def test_a_postponement_is_offered_no_day_past_the_commissions_period(world):
    world.commission.period_end = dt.date(2020, 5, 12)  # the world's sitting is the period's only day
    world.commission.save()
    slot = Slot.objects.get(sitting=world.sitting, student=world.student)
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.POSTPONED)
    slot.refresh_from_db()
    offer = services.reschedule_offer(slot=slot, until=dt.date(2020, 6, 30))
    assert isinstance(offer, str)
