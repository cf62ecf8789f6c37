import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from attestation.core.models import Deadline
from attestation.institutions.models import Group, Programme
from attestation.tests.factories import StudentFactory, World
from commissions import services
from commissions.models import Slot

pytestmark = pytest.mark.django_db
DAY = dt.date(2020, 5, 13)


def test_a_sitting_of_exactly_the_policy_hours_is_allowed(world):
    sitting = services.sitting_create(
        actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(9), ends_at=dt.time(14)
    )
    assert sitting.minutes == 300


def test_a_sitting_longer_than_the_policy_allows_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.sitting_create(
            actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(9), ends_at=dt.time(14, 1)
        )
    assert "ends_at" in exc.value.message_dict


def test_two_sittings_on_one_day_count_together(world):
    services.sitting_create(
        actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(9), ends_at=dt.time(12)
    )
    with pytest.raises(ValidationError):
        services.sitting_create(
            actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(14), ends_at=dt.time(16, 30)
        )


def test_a_tighter_policy_shortens_the_day(world):
    world.institution.policies.update(sitting_max_hours=4)
    with pytest.raises(ValidationError):
        services.sitting_create(
            actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(9), ends_at=dt.time(13, 30)
        )


def test_a_sitting_must_end_after_it_starts(world):
    with pytest.raises(ValidationError):
        services.sitting_create(
            actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(12), ends_at=dt.time(9)
        )


def test_slots_follow_each_other_with_the_policy_duration(world):
    first, second = Slot.objects.filter(sitting=world.sitting).order_by("starts_at")
    assert first.duration_minutes == 15
    assert second.starts_at - first.starts_at == dt.timedelta(minutes=15)
    assert first.starts_at == dt.datetime(2020, 5, 12, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))


def test_each_slot_gets_a_reminder_the_day_before(world):
    slot = Slot.objects.filter(sitting=world.sitting).earliest("starts_at")
    deadline = Deadline.objects.get(kind="slot_reminder", object_id=slot.pk)
    assert deadline.due_at == slot.starts_at - dt.timedelta(days=1)


def test_a_student_of_another_programme_cannot_be_scheduled(world):
    other = Programme.objects.create(
        department=world.department, code="6B01101", level="bachelor", name_kk="Педагогика", name_ru="Педагогика"
    )
    stranger = StudentFactory(group=Group.objects.create(programme=other, name="П-1", study_language="ru"))
    with pytest.raises(ValidationError):
        services.slot_create(actor=world.secretary, sitting=world.sitting, student=stranger)


def test_a_slot_past_the_end_of_the_sitting_is_refused(world):
    short = services.sitting_create(
        actor=world.secretary, commission=world.commission, date=DAY, starts_at=dt.time(9), ends_at=dt.time(9, 20)
    )
    services.slot_create(actor=world.secretary, sitting=short, student=world.student)
    with pytest.raises(ValidationError):
        services.slot_create(actor=world.secretary, sitting=short, student=StudentFactory(group=world.group))


def test_a_college_commission_approved_too_late_is_refused(db):
    world = World.build(kind="tvet")
    with pytest.raises(ValidationError) as exc:
        services.commission_create(
            actor=world.head,
            institution=world.institution,
            programmes=[world.programme],
            academic_year=2019,
            form="complex_exam",
            name_kk="К",
            name_ru="К",
            order_number="1",
            order_date=dt.date(2020, 5, 1),
            period_start=dt.date(2020, 5, 20),
            period_end=dt.date(2020, 6, 20),
        )
    assert "order_date" in exc.value.message_dict
