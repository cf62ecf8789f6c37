import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from attestation.core.models import Deadline
from attestation.institutions.models import Group, Programme
from attestation.tests.factories import StudentFactory, World
from attestation.workcal.services import calendar_day_set
from commissions import services
from commissions.models import Sitting, Slot

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


def sit_on(world, day: dt.date) -> Sitting:
    return services.sitting_create(
        actor=world.secretary, commission=world.commission, date=day, starts_at=dt.time(9), ends_at=dt.time(12)
    )


def test_a_sitting_on_a_saturday_is_refused_naming_the_day(world):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        sit_on(world, dt.date(2020, 5, 16))
    assert "16.05.2020" in exc.value.message_dict["date"][0]
    assert "day off" in exc.value.message_dict["date"][0]
    assert not Sitting.objects.filter(date=dt.date(2020, 5, 16)).exists()


def test_a_sitting_on_a_public_holiday_is_refused(world):
    world.commission.period_end = dt.date(2020, 7, 31)
    world.commission.save()
    with pytest.raises(ValidationError, match="06.07.2020"):
        sit_on(world, dt.date(2020, 7, 6))  # Capital Day, a Monday
    assert sit_on(world, dt.date(2020, 7, 7)).date == dt.date(2020, 7, 7)


def test_a_sitting_on_the_institutions_own_day_off_is_refused(world):
    calendar_day_set(
        actor=world.head, institution_id=world.institution.pk, day=dt.date(2020, 5, 14), kind="day_off", note="субботник"
    )
    with pytest.raises(ValidationError, match="14.05.2020"):
        sit_on(world, dt.date(2020, 5, 14))


def test_a_working_saturday_of_the_institutions_calendar_may_hold_a_sitting(world):
    calendar_day_set(actor=world.head, institution_id=world.institution.pk, day=dt.date(2020, 5, 16), kind="working_day")
    assert sit_on(world, dt.date(2020, 5, 16)).date == dt.date(2020, 5, 16)


def test_a_sitting_before_or_after_the_attestation_period_is_refused(world):
    for day in (dt.date(2020, 5, 11), dt.date(2020, 7, 1)):  # a Monday and a Wednesday, both working days
        with translation.override("en"), pytest.raises(ValidationError) as exc:
            sit_on(world, day)
        assert "outside its attestation period, 12.05.2020 to 30.06.2020" in exc.value.message_dict["date"][0]
    assert not Sitting.objects.filter(commission=world.commission).exclude(pk=world.sitting.pk).exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [("kk", "демалыс күні"), ("ru", "нерабочий день"), ("en", "day off")],
)
def test_the_day_off_refusal_is_in_the_readers_language(world, language, words):
    with translation.override(language), pytest.raises(ValidationError) as exc:
        sit_on(world, dt.date(2020, 5, 17))
    assert words in exc.value.message_dict["date"][0]


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
