"""The results page and the schedule are built ahead, as each student, after an announcement or an amendment
(appeals/pages_ahead.py, attestation/core/pages_ahead.py): the first visit is served from the built page without
rendering it, in the student's own language; no student ever gets another's page, nor one built from rows that a
change committed while it was being built made old."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse

from appeals.pages_ahead import BUILD_TASK, student_pages_build
from attestation.core import student_pages
from attestation.core.pages_ahead import page_build
from attestation.tests.worker import on_the_worker, wait_for
from commissions.grading import services as grading
from commissions.models import Result, Slot
from commissions.tests.built_pages import (
    SERVED_BUILT,
    SERVED_BUILT_AFTER_THE_PERSON,
    built,
    built_key,
    first_visit,
    logged_in,
)
from commissions.tests.conftest import everyone_present

pytestmark = pytest.mark.django_db
RESULTS, SCHEDULE = reverse("appeals:my_results"), reverse("commissions:my_schedule")


def once_after_reading(table: str, change):
    """A database wrapper that runs `change` (another request's committed change) once, right after the first
    statement reading `table` has its rows."""
    done: list = []

    def wrapper(execute, sql, params, many, context):
        rows = execute(sql, params, many, context)
        # the SQL, or the statement prepared for it (attestation/core/prepared.py names it after its table)
        if (f'FROM "{table}"' in sql or f"EXECUTE att_{table}_" in sql) and not done:
            done.append(True)
            change()
        return rows

    return wrapper


def announce(world) -> dict[int, Result]:
    """Both students graded by the chair and the member, the sitting's results announced: {user id: result}."""
    everyone_present(world)
    for student, points in ((world.student, ("96", "92")), (world.other_student, ("61", "58"))):
        slot = Slot.objects.select_related("sitting__commission", "student").get(sitting=world.sitting, student=student)
        grading.grade_submit(actor=world.chair, slot=slot, points=points[0])
        grading.grade_submit(actor=world.member, slot=slot, points=points[1])
    return {
        result.slot.student.user_id: result for result in grading.results_announce(actor=world.chair, sitting=world.sitting)
    }


def amend(result: Result, points: str) -> Result:
    """An appeal's new grade, through the one place a grade becomes the result."""
    with transaction.atomic():
        locked = Result.objects.select_for_update().select_related("slot__sitting__commission").get(pk=result.pk)
        grade = grading.scale_for(locked.slot).from_points(points)
        return grading.result_apply(
            actor=None,
            slot=locked.slot,
            result=locked,
            grade=grade,
            source=Result.Source.APPEAL,
            verb="result.appeal_change",
        )


def grade_cell(result: Result) -> str:
    return f"<strong>{result.letter}</strong>"


@on_the_worker
def test_the_first_visit_after_the_announcement_is_served_from_the_pages_built_by_the_worker(world, celery_worker_real):
    user = world.student.user
    browser = logged_in(user)
    results = announce(world)
    assert wait_for(lambda: built(user, RESULTS) and built(user, SCHEDULE))
    page, queries = first_visit(browser, RESULTS)
    assert queries == SERVED_BUILT
    assert grade_cell(results[user.pk]) in page and 'lang="kk"' in page
    assert reverse("appeals:file", args=[results[user.pk].pk]) in page
    page, queries = first_visit(browser, SCHEDULE)
    assert queries == SERVED_BUILT and reverse("commissions:slot", args=[results[user.pk].slot_id]) in page
    assert first_visit(browser, RESULTS)[1] == 0  # the next visit is served before the person is read


@on_the_worker
def test_a_student_never_gets_another_students_page_built_ahead(world, celery_worker_real):
    mine, theirs = world.student.user, world.other_student.user
    browsers = {user.pk: logged_in(user) for user in (mine, theirs, world.outsider)}
    results = announce(world)
    assert grade_cell(results[mine.pk]) != grade_cell(results[theirs.pk])
    assert wait_for(lambda: built(mine, RESULTS) and built(theirs, RESULTS))
    page, queries = first_visit(browsers[theirs.pk], RESULTS)
    assert queries == SERVED_BUILT
    assert grade_cell(results[theirs.pk]) in page and grade_cell(results[mine.pk]) not in page
    assert reverse("appeals:file", args=[results[mine.pk].pk]) not in page
    outsider, queries = first_visit(browsers[world.outsider.pk], RESULTS)
    assert queries is None  # nothing built for them: rendered
    assert grade_cell(results[mine.pk]) not in outsider and grade_cell(results[theirs.pk]) not in outsider
    page, queries = first_visit(browsers[mine.pk], RESULTS)
    assert queries == SERVED_BUILT
    assert grade_cell(results[mine.pk]) in page and grade_cell(results[theirs.pk]) not in page


@on_the_worker
def test_an_amendment_right_after_the_announcement_shows_the_new_grade(world, celery_worker_real):
    user = world.student.user
    browser = logged_in(user)
    old = announce(world)[user.pk]
    new = amend(old, "40")  # while the worker may still be building the announcement's pages
    assert grade_cell(new) != grade_cell(old)
    page = first_visit(browser, RESULTS)[0]
    assert grade_cell(new) in page and grade_cell(old) not in page
    assert wait_for(lambda: built(user, RESULTS) is not None)  # the amendment's own build
    stored = built(user, RESULTS) or b""
    assert grade_cell(new).encode() in stored and grade_cell(old).encode() not in stored


def test_a_page_built_while_the_result_changes_is_not_served(world, result):
    user = world.student.user
    browser = logged_in(user)
    amended: list = []  # committed by another request while the page is being built
    with connection.execute_wrapper(once_after_reading("commissions_result", lambda: amended.append(amend(result, "95")))):
        assert page_build(user_id=user.pk, path=RESULTS) == 200
    assert amended and built(user, RESULTS) is None  # stored under the generation the amendment ended
    page, queries = first_visit(browser, RESULTS)
    assert queries is None  # rendered again
    assert grade_cell(amended[0]) in page and grade_cell(result) not in page


def test_the_pages_are_built_in_the_students_own_language(world):
    user, other = world.student.user, world.other_student.user
    user.preferred_language = "ru"
    user.save()
    browser = logged_in(user)
    assert student_pages_build(user_ids=[user.pk, other.pk]) == 4
    assert built(user, RESULTS, "ru") and built(user, SCHEDULE, "ru") and not built(user, RESULTS, "kk")
    assert built(other, RESULTS, settings.LANGUAGE_CODE)  # no language of their own: the site's
    page, queries = first_visit(browser, SCHEDULE)
    assert queries == SERVED_BUILT_AFTER_THE_PERSON and 'lang="ru"' in page and "Моё расписание" in page


def test_a_page_the_view_refuses_or_a_person_who_cannot_log_in_gets_nothing_built(world):
    theirs = Slot.objects.get(sitting=world.sitting, student=world.other_student)
    poll = reverse("exams:student_status", args=[theirs.pk])
    assert page_build(user_id=world.student.user.pk, path=poll) is None  # another student's exam page: 404
    assert built(world.student.user, poll) is None
    world.student.user.is_active = False
    world.student.user.save()
    assert page_build(user_id=world.student.user.pk, path=RESULTS) is None
    assert built(world.student.user, RESULTS) is None


def test_an_announcement_queues_one_build_for_all_its_students(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        announce(world)
    builds = [callback for callback in callbacks if getattr(callback, "task_name", None) == BUILD_TASK]
    assert len(builds) == 1
    assert builds[0].items == {world.student.user_id, world.other_student.user_id}


def test_a_session_from_before_a_password_change_never_gets_the_page_built_after_it(world):
    user = world.student.user
    before = logged_in(user)  # its session hash is the old password's
    user.set_password("a-new-password-0192")
    user.save()
    after = logged_in(user)
    assert page_build(user_id=user.pk, path=SCHEDULE) == 200 and built(user, SCHEDULE)
    response = before.get(SCHEDULE)
    assert response.status_code == 302 and reverse("login") in response["Location"]  # logged out, as Django does
    assert first_visit(after, SCHEDULE)[1] == SERVED_BUILT


def test_a_change_of_the_person_while_their_page_is_built_is_not_stored(world):
    """The person renamed after the build read them but before the view read the generation: a page with the old name
    under the generation after the rename would be served to their next visit."""
    user = world.student.user
    browser = logged_in(user)
    renamed: list = []

    def rename() -> None:
        person = type(user).objects.get(pk=user.pk)
        person.last_name = "Жаңаәліпова"
        person.save()
        renamed.append(True)

    with connection.execute_wrapper(once_after_reading("accounts_user", rename)):
        assert page_build(user_id=user.pk, path=SCHEDULE) == 200
    assert renamed and built(user, SCHEDULE) is None
    page, queries = first_visit(browser, SCHEDULE)
    assert queries is None and "Жаңаәліпова" in page  # rendered again, with the new name


def test_a_page_built_in_one_language_is_not_served_early_where_the_persons_own_language_decides_another(world):
    """The early middleware serves a built page only in the language the visit ends up in: with no language chosen on
    the site, the person's own (a page in another language under this visit's key — one the generation did not end —
    is not served before the person is read)."""
    user = world.student.user
    user.preferred_language = "ru"
    user.save()
    browser = logged_in(user)
    assert page_build(user_id=user.pk, path=SCHEDULE) == 200
    russian = cache.get(built_key(user, SCHEDULE, "ru"))
    assert russian is not None and russian[3:5] == ("ru", "ru")
    cache.set(built_key(user, SCHEDULE, "kk"), (*russian[:3], "kk", *russian[4:]), 60)  # as if built in Kazakh
    page, queries = first_visit(browser, SCHEDULE)  # the browser asks for Kazakh (the site's), the person is Russian
    assert queries == SERVED_BUILT_AFTER_THE_PERSON and 'lang="ru"' in page
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"  # the browser's choice decides: the Kazakh key's page
    assert first_visit(browser, SCHEDULE)[1] == SERVED_BUILT


def test_a_page_built_before_the_secret_key_changed_is_not_served_to_a_session_of_that_time(world, settings):
    user = world.student.user
    before = logged_in(user)
    assert page_build(user_id=user.pk, path=SCHEDULE) == 200
    settings.SECRET_KEY = "another-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # the old one no fallback
    student_pages._secrets_digest.cache_clear()
    try:
        response = before.get(SCHEDULE)
        assert response.status_code == 302 and reverse("login") in response["Location"]  # logged out, as Django does
    finally:
        student_pages._secrets_digest.cache_clear()
