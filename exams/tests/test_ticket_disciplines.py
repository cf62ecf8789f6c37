"""A Kazakh ticket names its disciplines in Kazakh (issue 20): where the question's section is one of the
institution's disciplines, a ticket read in Kazakh (the student studies in Kazakh, or the page is Kazakh) shows the
discipline's Kazakh name, else its Russian one; a Russian ticket shows the Russian name. The same on the student's
exam page, the secretary's desk, the programme's question list and the protocol's PDF."""

import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from attestation.institutions.models import Discipline, Group, Student
from commissions.models import Paper
from commissions.papers import services as papers
from exams import programmes, services
from exams.models import Question
from exams.tests.conftest import admitted, make_tickets, slot_of

pytestmark = pytest.mark.django_db
DATABASES_KK, DATABASES_RU = "Деректер қоры", "Базы данных"
NETWORKS_RU = "Компьютерные сети"  # a discipline with no Kazakh name: the Russian one stands in


@pytest.fixture
def drawn(world):
    """Tickets whose two sections are disciplines (one typed «Kazakh / Russian», one by its code) and one that is
    not; the Kazakh-taught student has drawn one."""
    Discipline.objects.create(
        institution=world.institution, code="DB201", name_kk=DATABASES_KK, name_ru=DATABASES_RU, category="basic"
    )
    Discipline.objects.create(
        institution=world.institution, code="NET301", name_kk="", name_ru=NETWORKS_RU, category="basic"
    )
    make_tickets(world, tickets=3, per_ticket=3, sections=(f"{DATABASES_KK} / {DATABASES_RU}", "NET301", "Эссе"))
    attempt = admitted(world)
    services.ticket_draw(attempt=attempt, actor=world.student.user)
    return slot_of(world, world.student)


def _studies_in(world, language: str) -> None:
    Group.objects.filter(pk=world.group.pk).update(study_language=language)
    Student.objects.filter(group=world.group).update(study_language=language)


def _page(client, url, language="en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return " ".join(client.get(url).content.decode().split())


def test_a_section_is_linked_to_the_discipline_it_names_by_code_or_either_name(world, drawn):
    linked = {q.section: q.discipline.code if q.discipline else None for q in Question.objects.all()}
    assert linked == {f"{DATABASES_KK} / {DATABASES_RU}": "DB201", "NET301": "NET301", "Эссе": None}
    assert programmes.discipline_named(world.institution.pk, " базы  данных ").code == "DB201"


def test_a_kazakh_taught_students_ticket_names_the_disciplines_in_kazakh_on_any_page(client, world, drawn):
    client.force_login(world.student.user)
    for language in ("en", "ru", "kk"):
        page = _page(client, reverse("exams:student_status", args=[drawn.pk]), language)
        assert f"({DATABASES_KK})" in page and f"({NETWORKS_RU})" in page and "(Эссе)" in page, language
        assert DATABASES_RU not in page


def test_a_russian_taught_students_ticket_is_russian_on_a_russian_page_and_kazakh_on_a_kazakh_one(client, world, drawn):
    _studies_in(world, "ru")
    client.force_login(world.student.user)
    url = reverse("exams:student_status", args=[drawn.pk])
    assert f"({DATABASES_RU})" in _page(client, url, "ru") and DATABASES_KK not in _page(client, url, "ru")
    assert f"({DATABASES_KK})" in _page(client, url, "kk")


def test_the_secretarys_desk_and_the_question_list_name_the_disciplines_in_kazakh(client, world, drawn):
    client.force_login(world.secretary)
    desk = _page(client, reverse("exams:desk", args=[drawn.pk]))
    assert f"({DATABASES_KK})" in desk and DATABASES_RU not in desk
    client.force_login(world.head)
    programme = Question.objects.first().programme
    listing = _page(client, reverse("exams:programme", args=[programme.pk]), "kk")
    assert DATABASES_KK in listing and DATABASES_RU not in listing and NETWORKS_RU in listing


@pytest.mark.parametrize(("language", "shown", "hidden"), [("kk", DATABASES_KK, DATABASES_RU), ("ru", DATABASES_RU, None)])
def test_the_protocol_lists_the_tickets_questions_with_their_disciplines_in_its_language(
    world, drawn, settings, tmp_path, language, shown, hidden
):
    settings.MEDIA_ROOT = tmp_path
    _studies_in(world, language)
    drawn.refresh_from_db()
    paper = papers.paper_render(actor=world.secretary, kind=Paper.Kind.PROTOCOL, sitting=world.sitting, slot=drawn)
    path = tmp_path / f"protocol-{language}.pdf"
    path.write_bytes(paper.document.file.read())
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    questions = [item.question.text for item in drawn.attempt.draw.ticket.items.all()]
    assert all(question in text for question in questions), text
    assert f"({shown})" in text and f"({NETWORKS_RU})" in text
    assert hidden is None or hidden not in text
    assert ("Билет сұрақтары" if language == "kk" else "Вопросы билета") in text
