"""The secretary's desk for today (issue 20): who may open it, what it says at each stage of a student's attestation,
the next step it points to, and a query count that does not grow with the number of students."""

import datetime as dt
import html as html_lib
import re
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation.tests.factories import StudentFactory
from attestation.tests.test_kazakh_first import visible_text
from commissions import services as commission_services
from commissions.models import Paper, Result
from commissions.papers import services as papers
from exams import services
from exams.models import Attempt, Draw
from exams.tests.conftest import admitted, english, make_tickets, move, slot_of  # noqa: F401 - english is autouse
from proctoring import services as proctoring_services
from proctoring.tests.conftest import ready_for_identification

pytestmark = pytest.mark.django_db
S = Attempt.State
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
# The world's sitting: 12 May 2020, 09:00-14:00 in Almaty.
DURING = dt.datetime(2020, 5, 12, 9, 40, tzinfo=ALMATY)


@pytest.fixture
def tickets(world):
    return make_tickets(world)


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(DURING, tick=False):
        yield


def desk_page(client, user, world) -> str:
    client.force_login(user)
    response = client.get(reverse("exams:today_sitting", args=[world.sitting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def live(client, world) -> str:
    response = client.get(reverse("exams:today_live", args=[world.sitting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def next_step(html: str) -> str:
    found = re.search(r'data-test="next-action">([^<]*)<', html)
    assert found, "the desk shows no next step"
    return html_lib.unescape(found.group(1))


def stage_of(html: str, slot) -> str:
    found = re.search(rf'data-slot="{slot.pk}" data-stage="([a-z_]+)"', html)
    assert found
    return found.group(1)


# --- who may open it -------------------------------------------------------------------------------------------------


def test_the_secretary_finds_todays_sitting_on_the_desk_without_choosing_it(client, world):
    client.force_login(world.secretary)
    html = client.get(reverse("exams:today")).content.decode()
    assert reverse("exams:today_live", args=[world.sitting.pk]) in html
    assert world.student.full_name in html and world.other_student.full_name in html


def test_the_chair_may_follow_the_desk(client, world):
    assert world.student.full_name in desk_page(client, world.chair, world)


@pytest.mark.parametrize("who", ["member", "head", "outsider", "student"])
def test_anyone_else_gets_404_for_the_desk_and_its_poll(client, world, who):
    user = {"member": world.member, "head": world.head, "outsider": world.outsider, "student": world.student.user}[who]
    client.force_login(user)
    assert client.get(reverse("exams:today_sitting", args=[world.sitting.pk])).status_code == 404
    assert client.get(reverse("exams:today_live", args=[world.sitting.pk])).status_code == 404


def test_the_desk_without_a_sitting_lists_none_of_another_commissions(client, world):
    client.force_login(world.outsider)
    html = client.get(reverse("exams:today")).content.decode()
    assert "You run or chair no sitting today." in html
    assert world.student.full_name not in html


def test_on_another_day_the_desk_has_no_sitting_for_today(client, world):
    client.force_login(world.secretary)
    with time_machine.travel(DURING + dt.timedelta(days=1), tick=False):
        html = client.get(reverse("exams:today")).content.decode()
    assert "You run or chair no sitting today." in html


def test_today_is_the_institutions_day_not_the_servers(client, world):
    """At 01:00 on the 12th in Almaty it is still the 11th in UTC: the sitting of the 12th is today's."""
    client.force_login(world.secretary)
    with time_machine.travel(dt.datetime(2020, 5, 12, 1, 0, tzinfo=ALMATY), tick=False):
        html = client.get(reverse("exams:today")).content.decode()
    assert reverse("exams:today_live", args=[world.sitting.pk]) in html


def test_the_secretarys_home_page_links_to_the_desk_and_a_members_does_not(client, world):
    client.force_login(world.secretary)
    assert reverse("exams:today") in client.get("/").content.decode()
    client.force_login(world.member)
    assert reverse("exams:today") not in client.get("/").content.decode()


def test_the_poll_interval_is_the_setting(client, world, settings):
    settings.TODAY_DESK_POLL_SECONDS = 7
    html = desk_page(client, world.secretary, world)
    assert 'hx-trigger="every 7s"' in html
    assert 'aria-live="polite"' in html


# --- what it says at each stage ------------------------------------------------------------------------------------


def test_before_anyone_is_identified_the_next_step_is_to_identify_the_first_student(client, world):
    html = desk_page(client, world.secretary, world)
    slot = slot_of(world, world.student)
    assert stage_of(html, slot) == "expected"
    assert next_step(html) == f"Identify {world.student.full_name}: the checklist beside the ID copy."
    assert reverse("exams:desk", args=[slot.pk]) + "#identification" in html


def test_identified_then_room_checked_then_admit(client, world, tickets):
    slot = slot_of(world, world.student)
    ready_for_identification(world)
    proctoring_services.identification_record(
        slot=slot, face_matches=True, stated_name_and_group=True, showed_original=True, actor=world.secretary
    )
    html = desk_page(client, world.secretary, world)
    assert stage_of(html, slot) == "identified"
    assert next_step(html) == f"Check the room of {world.student.full_name}."
    proctoring_services.room_check_record(
        slot=slot, alone=True, devices_ok=True, room_shown=True, refused=False, note="", actor=world.secretary
    )
    html = live(client, world)
    assert stage_of(html, slot) == "room_checked"
    assert next_step(html) == f"Admit {world.student.full_name}."
    assert 'data-attendance="present"' in html


def test_the_ticket_number_shows_once_drawn_and_no_question_before(client, world, tickets):
    slot = slot_of(world, world.student)
    attempt = admitted(world)
    html = desk_page(client, world.secretary, world)
    assert stage_of(html, slot) == "drawing"
    assert "not drawn yet" in html
    questions = [q.text for q in tickets.programme.questions.all()]
    assert not any(text in html for text in questions)
    services.ticket_draw(attempt=attempt, actor=world.student.user, card=1)
    number = Draw.objects.get(attempt=attempt).ticket.number
    html = live(client, world)
    assert stage_of(html, slot) == "preparing"  # an oral exam's draw starts the preparation (R28)
    assert f"No. {number}" in html


def test_preparing_then_answering_then_graded(client, world, tickets):
    slot = slot_of(world, world.student)
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user, card=1)
    move(services.attempt_for_slot(slot=slot_of(world, world.other_student)), S.ABSENT, actor=world.secretary)
    html = desk_page(client, world.secretary, world)
    assert stage_of(html, slot) == "preparing"
    assert next_step(html).startswith("Questioning starts at 10:")  # R28: the policy's minutes after the last draw
    attempt = move(Attempt.objects.get(pk=attempt.pk), S.ANSWERING, actor=world.secretary)
    html = live(client, world)
    assert stage_of(html, slot) == "answering"
    assert next_step(html).startswith(f"{world.student.full_name} is answering")
    move(attempt, S.FINISHED, actor=world.secretary)
    html = live(client, world)
    assert stage_of(html, slot) == "finished"
    Result.objects.create(slot=slot, letter="A-", traditional="excellent", source="commission", decided_at=DURING)
    html = live(client, world)
    assert stage_of(html, slot) == "graded"
    assert ">A-<" in html


def test_the_queue_says_who_is_absent_failed_or_postponed(client, world):
    third = StudentFactory(group=world.group, first_name_kk="Дина")
    commission_services.schedule_fill(actor=world.head, sitting=world.sitting, students=[third])
    move(services.attempt_for_slot(slot=slot_of(world, world.student)), S.ABSENT, actor=world.secretary)
    move(services.attempt_for_slot(slot=slot_of(world, world.other_student)), S.TECHNICAL_FAILURE, actor=world.secretary)
    move(services.attempt_for_slot(slot=slot_of(world, third)), S.ABSENT, S.POSTPONED, actor=world.secretary)
    html = desk_page(client, world.secretary, world)
    for slot, attendance in (
        (slot_of(world, world.student), "absent"),
        (slot_of(world, world.other_student), "technical_failure"),
        (slot_of(world, third), "postponed"),
    ):
        row = re.search(rf'<tr data-slot="{slot.pk}".*?</tr>', html, re.S)
        assert row and f'data-attendance="{attendance}"' in row.group(0)
    assert "Every student of this sitting is through." in html


def test_a_pending_interruption_comes_first_with_a_link_to_decide(client, world, tickets):
    slot = slot_of(world, world.student)
    admitted(world)
    interruption = proctoring_services.interruption_request(slot=slot, message="", actor=world.student.user)
    html = desk_page(client, world.secretary, world)
    assert next_step(html) == (f"Record the commission's decision: {world.student.full_name} asks to continue after a drop.")
    assert f"{reverse('exams:console', args=[world.sitting.pk])}#decide-interruption-{interruption.pk}" in html
    assert 'data-test="pending-interruption"' in html


def test_a_technical_failure_act_waits_for_another_time(client, world, tickets):
    slot = slot_of(world, world.student)
    admitted(world)
    act = proctoring_services.failure_act_draw_up(
        slot=slot, description="Интернет үзілді", occurred_at=DURING, language="kk", actor=world.secretary
    )
    html = desk_page(client, world.secretary, world)
    assert 'data-test="pending-act"' in html and reverse("proctoring:act", args=[act.pk]) in html
    assert next_step(html).startswith(f"Identify {world.other_student.full_name}")  # the queue goes on first
    move(services.attempt_for_slot(slot=slot_of(world, world.other_student)), S.ABSENT, actor=world.secretary)
    html = live(client, world)
    assert next_step(html) == f"Give {world.student.full_name} another time after the technical failure."


def test_the_poll_announces_what_the_desk_shows_as_facts(client, world, tickets):
    admitted(world)
    client.force_login(world.secretary)
    html = live(client, world)
    assert f"{world.student.full_name} is admitted" in html
    assert 'hx-swap-oob="true"' in html
    assert 'id="today-facts"' in html


def test_after_the_grades_the_desk_leads_to_drawing_up_then_signing_the_documents(client, world):
    for student in (world.student, world.other_student):
        slot = slot_of(world, student)
        move(services.attempt_for_slot(slot=slot), S.IDENTIFIED, S.ADMITTED, S.ANSWERING, S.FINISHED, actor=world.secretary)
        Result.objects.create(slot=slot, letter="B", traditional="good", source="commission", decided_at=DURING)
    html = desk_page(client, world.secretary, world)
    documents = reverse("commissions:sitting_documents", args=[world.sitting.pk])
    assert next_step(html) == "Draw up the protocols and the grade sheet."
    assert f'href="{documents}" data-test="next-action-link"' in html
    protocol = papers.paper_render(
        actor=world.chair, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=slot_of(world, world.student)
    )
    html = live(client, world)
    assert next_step(html) == "Sign the sitting's documents."  # the secretary signs protocols (R36)
    assert reverse("commissions:paper_download", args=[protocol.pk]) in html
    assert "ready, awaiting signatures" in html and "1 document is ready." in html


# --- queries ----------------------------------------------------------------------------------------------------------


def _with_students(world, count: int) -> None:
    """`count` students in the sitting, in every stage the desk reads: identified, drawn, preparing, finished."""
    last = world.sitting.slots.order_by("-starts_at").first()
    for i in range(count - 2):  # squeezed in beside each other: the desk does not care whether they fit the day
        student = StudentFactory(group=world.group, first_name_kk=f"Оқушы{i}")
        commission_services.slot_create(
            actor=world.head, sitting=world.sitting, student=student, starts_at=last.starts_at + dt.timedelta(minutes=i)
        )
    slots = list(world.sitting.slots.order_by("starts_at"))
    services.ticket_draw(attempt=admitted(world), actor=world.student.user, card=1)
    move(services.attempt_for_slot(slot=slots[1]), S.IDENTIFIED, actor=world.secretary)
    for slot in slots[2:]:
        move(services.attempt_for_slot(slot=slot), S.ABSENT, actor=world.secretary)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [3, 30])
def test_the_desk_and_its_poll_cost_the_same_queries_for_3_and_30_students(client, world, count):
    make_tickets(world, tickets=40)
    _with_students(world, count)
    client.force_login(world.secretary)
    page = _count(client, reverse("exams:today_sitting", args=[world.sitting.pk]))
    poll = _count(client, reverse("exams:today_live", args=[world.sitting.pk]))
    assert (page, poll) == (PAGE_QUERIES, POLL_QUERIES)


PAGE_QUERIES = 18
POLL_QUERIES = 17


# --- languages -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_desk_in_kazakh_or_russian_shows_no_english_word(client, world, tickets, settings, language):
    services.ticket_draw(attempt=admitted(world), actor=world.student.user, card=1)
    proctoring_services.interruption_request(slot=slot_of(world, world.student), message="", actor=world.student.user)
    move(services.attempt_for_slot(slot=slot_of(world, world.other_student)), S.ABSENT, actor=world.secretary)
    client.force_login(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in (reverse("exams:today"), reverse("exams:today_live", args=[world.sitting.pk])):
        page = client.get(url).content.decode()
        main = page[page.index("<main") : page.index("</main>")] if "<main" in page else page  # the menu is not ours
        text = visible_text(main)
        assert not re.findall(r"[A-Za-z]{2,}", text), text
