"""Exam fixtures on top of the persona world: an approved programme with tickets, and attempts moved along."""

import io

import pytest
from django.utils import translation
from PIL import Image

from commissions.models import Slot
from exams import programmes, services
from exams.models import Attempt


def make_tickets(world, *, tickets: int = 5, per_ticket: int = 2, sections=("Деректер қоры", "Желілер")):
    programme = programmes.programme_create(commission=world.commission, title="Кешенді емтихан", actor=world.head)
    for i in range(tickets * per_ticket):
        programmes.question_add(
            programme=programme, section=sections[i % len(sections)], text=f"Сұрақ {i + 1}", actor=world.head
        )
    programme = programmes.programme_approve(programme=programme, actor=world.head)
    ticket_set = programmes.tickets_generate(programme=programme, count=tickets, per_ticket=per_ticket, actor=world.head)
    programmes.ticket_set_approve(ticket_set=ticket_set, actor=world.head)
    return ticket_set


def slot_of(world, student) -> Slot:
    return Slot.objects.get(sitting=world.sitting, student=student)


def move(attempt: Attempt, *states_, actor) -> Attempt:
    for state in states_:
        attempt = services.attempt_transition(attempt=attempt, to_state=state, actor=actor)
    return attempt


def admitted(world, student=None) -> Attempt:
    attempt = services.attempt_for_slot(slot=slot_of(world, student or world.student))
    return move(attempt, Attempt.State.IDENTIFIED, Attempt.State.ADMITTED, actor=world.secretary)


def image_bytes(fmt: str = "JPEG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def tickets(world):
    return make_tickets(world)


@pytest.fixture
def written(world):
    settings_ = services.exam_settings_for(world.commission)
    settings_.exam_format = "written"
    settings_.save()
    return settings_


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English: pages and services speak English here whatever the translations hold."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives a real headless Chromium against the live server (Playwright)")
