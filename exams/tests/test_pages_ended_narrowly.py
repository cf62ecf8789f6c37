"""A change of a sitting, a commission or its exam settings ends the cached pages of the students it concerns and no
one else's (commissions/page_hooks.py, exams/page_hooks.py): a student of another sitting or commission is still
served from the shared cache, without a query, while the student concerned sees the new time, link or format on their
very next visit; a save of what no page shows ends nothing; on an exam day the waiting polls it ended are built again
by the worker."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appeals.tests.conftest import make_result
from attestation.institutions.models import Institution, Policy
from attestation.tests.factories import StudentFactory
from attestation.tests.worker import on_the_worker, wait_for
from commissions import page_hooks
from commissions import services as commission_services
from commissions.models import Commission, Sitting, Slot
from commissions.planning.services import sitting_retime
from commissions.tests.built_pages import SERVED_BUILT, built, first_visit, logged_in
from exams import page_hooks as exam_page_hooks
from exams import services
from exams.exam_settings import exam_settings_update
from exams.models import Attempt, ExamSettings
from exams.pages_ahead import BUILD_TASK
from exams.tests.conftest import slot_of

pytestmark = pytest.mark.django_db
SCHEDULE = reverse("commissions:my_schedule")
NEW_LINK = "https://zoom.us/j/777"


def visit(client, url: str = SCHEDULE) -> tuple[str, int]:
    """The page and how many queries its request asked (0: served from the cache before the person was read)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def cached(client, url: str = SCHEDULE) -> str:
    """The page, visited twice: the second visit is served from the cache."""
    visit(client, url)
    page, queries = visit(client, url)
    assert queries == 0
    return page


@pytest.fixture
def sitting_b(world):
    """Another sitting of the commission, the next day, with a student of its own."""
    sitting = commission_services.sitting_create(
        actor=world.head,
        commission=world.commission,
        date=dt.date(2020, 5, 13),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
        meeting_url="https://zoom.us/j/2",
    )
    commission_services.schedule_fill(actor=world.head, sitting=sitting, students=[StudentFactory(group=world.group)])
    return sitting


@pytest.fixture
def other_commission_student(world):
    """A student of another commission of the institution."""
    commission = world.other_commission(form="state_exam")
    sitting = commission_services.sitting_create(
        actor=world.head,
        commission=commission,
        date=dt.date(2020, 5, 14),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
    )
    student = StudentFactory(group=world.group)
    commission_services.schedule_fill(actor=world.head, sitting=sitting, students=[student])
    return student


def user_of(sitting: Sitting):
    return Slot.objects.select_related("student__user").filter(sitting=sitting).first().student.user


def test_a_sitting_saved_ends_the_pages_of_its_students_only(client, world, sitting_b):
    mine, theirs = logged_in(world.student.user), logged_in(user_of(sitting_b))
    assert NEW_LINK not in cached(mine)
    cached(theirs)
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    sitting.meeting_url = NEW_LINK
    sitting.save()
    assert visit(theirs)[1] == 0  # the other sitting's student: still served before the person is read
    page, queries = visit(mine)
    assert NEW_LINK in page and queries > 0


def test_a_deleted_sitting_leaves_the_schedule_of_the_students_who_had_a_slot_in_it(client, world, sitting_b):
    user = user_of(sitting_b)
    theirs, mine = logged_in(user), logged_in(world.student.user)
    assert "https://zoom.us/j/2" in cached(theirs)
    cached(mine)
    Sitting.objects.get(pk=sitting_b.pk).delete()
    assert "https://zoom.us/j/2" not in visit(theirs)[0]
    assert visit(mine)[1] == 0


def test_a_sitting_retimed_ends_no_page(client, world):
    """The schedule shows each slot's own time, not the sitting's hours."""
    browser = logged_in(world.student.user)
    cached(browser)
    sitting_retime(actor=world.head, sitting=world.sitting, starts_at=dt.time(10, 0), ends_at=dt.time(14, 0))
    assert visit(browser)[1] == 0


def test_a_commission_renamed_ends_the_pages_of_its_students_only(client, world, sitting_b, other_commission_student):
    mine, next_day, theirs = (
        logged_in(world.student.user),
        logged_in(user_of(sitting_b)),
        logged_in(other_commission_student.user),
    )
    for browser in (mine, next_day, theirs):
        cached(browser)
    commission_services.commission_update(
        actor=world.head, commission=world.commission, programmes=[world.programme], name_en="Renamed commission"
    )
    assert visit(theirs)[1] == 0
    assert "Renamed commission" in visit(mine)[0] and "Renamed commission" in visit(next_day)[0]


def test_a_commissions_vote_settings_end_no_page(client, world):
    browser = logged_in(world.student.user)
    cached(browser)
    commission_services.commission_settings_update(actor=world.head, commission=world.commission, vote_mode="open")
    assert visit(browser)[1] == 0


def test_the_exam_format_shows_to_the_commissions_students_only(client, world, other_commission_student):
    mine, theirs = logged_in(world.student.user), logged_in(other_commission_student.user)
    assert "computer-based testing" not in cached(mine)
    cached(theirs)
    exam_settings_update(commission=world.commission, actor=world.head, exam_format="testing")
    assert visit(theirs)[1] == 0
    assert "computer-based testing" in visit(mine)[0]


def today_s_sitting(world) -> None:
    """The world's sitting is held today (moved without a save: nothing ended)."""
    Sitting.objects.filter(pk=world.sitting.pk).update(date=timezone.now().date())


def test_a_sitting_saved_on_its_day_queues_the_polls_of_its_waiting_students_again(
    world, sitting_b, django_capture_on_commit_callbacks
):
    today_s_sitting(world)
    admitted = services.attempt_for_slot(slot=slot_of(world, world.other_student))
    Attempt.objects.filter(pk=admitted.pk).update(state=Attempt.State.ADMITTED)  # no poll of it queued by a move
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    sitting.meeting_url = NEW_LINK
    with django_capture_on_commit_callbacks() as callbacks:
        sitting.save()
    builds = [callback for callback in callbacks if getattr(callback, "task_name", None) == BUILD_TASK]
    # the waiting student's poll; not the admitted one's (it has a clock), nor the other day's sitting's
    assert len(builds) == 1 and builds[0].items == {slot_of(world, world.student).pk}
    assert admitted.slot_id not in builds[0].items


@on_the_worker
def test_the_waiting_poll_after_a_sitting_saved_on_its_day_is_served_from_the_page_built_by_the_worker(
    world, celery_worker_real
):
    today_s_sitting(world)
    user, poll = world.student.user, reverse("exams:student_status", args=[slot_of(world, world.student).pk])
    browser = logged_in(user)
    browser.get(poll)
    assert first_visit(browser, poll)[1] == 0  # stored by the first poll
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    sitting.meeting_url = NEW_LINK
    sitting.save()
    assert wait_for(lambda: built(user, poll), 30)
    fragment, queries = first_visit(browser, poll)
    assert queries == SERVED_BUILT and 'data-state="scheduled"' in fragment


def test_a_new_test_link_ends_no_page(client, world):
    """Only the poll of a student writing the test shows the link, and that poll is never stored."""
    browser = logged_in(world.student.user)
    cached(browser)
    exam_settings_update(commission=world.commission, actor=world.head, test_url="https://test.example.kz/1")
    assert visit(browser)[1] == 0


# Every field of the rows that SHOWN leaves out, changed (what a save naming only them may write), and the few left as
# they are here, with why.
NOT_SHOWN = {
    Sitting: {"starts_at": dt.time(8, 30), "ends_at": dt.time(13, 30), "mode": Sitting.Mode.SMALL_GROUP},
    Commission: {
        "kind": Commission.Kind.INTERMEDIATE,
        "order_number": "99-Б",
        "order_date": dt.date(2020, 4, 2),
        "period_start": dt.date(2020, 5, 11),
        "period_end": dt.date(2020, 7, 1),
        "vote_mode": "open",
        "quorum_numerator": 3,
        "quorum_denominator": 5,
        "honours_min_gpa": Decimal("3.90"),
        "honours_min_discipline_gpa": Decimal("3.00"),
        "honours_min_attestation_gpa": Decimal("3.90"),
    },
    Institution: {"name_kk": "Жаңа", "name_ru": "Новый", "name_en": "New", "kind": "tvet", "website": "https://x.kz/"},
    ExamSettings: {
        "questions_per_ticket": 4,
        "tickets_with_replacement": True,
        "upload_grace_minutes": 15,
        "answer_sheet_max_mb": 20,
        "test_questions": 40,
        "test_minutes": 90,
        "test_url": "https://test.example.kz/1",
        "test_modules": "Модуль 1",
    },
}
LEFT_AS_THEY_ARE = {Commission: {"period"}}  # an attestation period sets the commission's dates, changed above


def pages(client, world) -> list[str]:
    """The schedule's and the results page's content and the waiting poll, each built now (nothing stored)."""
    cache.clear()
    client.force_login(world.student.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shown = []
    for url in (SCHEDULE, reverse("appeals:my_results")):
        html = client.get(url).content.decode()
        shown.append(html[html.index("<main") : html.index("</main>")])
    return [*shown, client.get(reverse("exams:student_status", args=[slot_of(world, world.student).pk])).content.decode()]


def test_the_fields_the_pages_do_not_show_leave_every_page_as_it_was(client, world):
    """What lets a save naming only these fields end no page: a template showing one of them fails here (add it to
    SHOWN in commissions/page_hooks.py or exams/page_hooks.py)."""
    make_result(slot_of(world, world.student))
    exam_settings_update(commission=world.commission, actor=world.head, exam_format="testing")  # named on the schedule
    Policy.objects.filter(institution=world.institution).update(public_results=Policy.PublicResults.NUMBER_AND_GRADE)
    shown = {**page_hooks.SHOWN, ExamSettings: exam_page_hooks.SHOWN}
    for model, changes in NOT_SHOWN.items():
        names = {field.name for field in model._meta.concrete_fields if not field.primary_key}
        assert names == shown[model] | set(changes) | LEFT_AS_THEY_ARE.get(model, set()), model
    before = pages(client, world)
    rows = {Sitting: world.sitting.pk, Commission: world.commission.pk, Institution: world.institution.pk}
    rows[ExamSettings] = ExamSettings.objects.get(commission=world.commission).pk
    for model, changes in NOT_SHOWN.items():
        model.objects.filter(pk=rows[model]).update(**changes)
    assert 'data-state="scheduled"' in before[2] and "computer-based testing" in before[0] and "/results/" in before[1]
    assert pages(client, world) == before
