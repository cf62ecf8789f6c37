import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from exams import programmes
from exams.models import ExamProgramme, TicketSet

pytestmark = pytest.mark.django_db


def draft(world, n=0, sections=("A", "B", "C"), **kw):
    programme = programmes.programme_create(commission=world.commission, title="Бағдарлама", actor=world.head, **kw)
    for i in range(n):
        programmes.question_add(programme=programme, section=sections[i % len(sections)], text=f"Q{i + 1}", actor=world.head)
    return programme


def test_approval_records_who_and_when_and_freezes_the_list(world):
    programme = programmes.programme_approve(programme=draft(world, 3), actor=world.head)
    assert programme.state == ExamProgramme.State.APPROVED
    assert programme.approved_by == world.head and programme.approved_at is not None
    with pytest.raises(ValidationError, match="frozen"):
        programmes.question_add(programme=programme, section="A", text="late", actor=world.head)


def test_an_empty_question_list_cannot_be_approved(world):
    with pytest.raises(ValidationError, match="empty"):
        programmes.programme_approve(programme=draft(world), actor=world.head)


@time_machine.travel(dt.datetime(2020, 4, 20, 10, tzinfo=dt.UTC))
def test_approval_warns_when_the_r14_dates_are_missed(world):
    # review lectures on 1 May 2020: approval was due by 1 March; the period starts 12 May: handover by 12 April
    programme = programmes.programme_approve(
        programme=draft(world, 2, review_lectures_on=dt.date(2020, 5, 1)), actor=world.head
    )
    texts = [programmes.warning_text(w) for w in programme.warnings]
    assert len(texts) == 2
    assert "01.03.2020" in texts[0] and "12.04.2020" in texts[1]


@time_machine.travel(dt.datetime(2020, 4, 20, 10, tzinfo=dt.UTC))
def test_a_kept_warning_reads_in_each_readers_language(world):
    with translation.override("ru"):  # approved by a head whose page is Russian
        programme = programmes.programme_approve(programme=draft(world, 2), actor=world.head)
    with translation.override("kk"):
        kazakh = programmes.warning_text(programme.warnings[0])
    with translation.override("ru"):
        russian = programmes.warning_text(programme.warnings[0])
    assert "12.04.2020" in kazakh and "12.04.2020" in russian
    assert kazakh != russian and "Передана" in russian and "Передана" not in kazakh


@time_machine.travel(dt.datetime(2020, 1, 10, 10, tzinfo=dt.UTC))
def test_approval_in_time_has_no_warning(world):
    programme = programmes.programme_approve(
        programme=draft(world, 2, review_lectures_on=dt.date(2020, 4, 1)), actor=world.head
    )
    assert programme.warnings == []


def _tickets(ticket_set):
    return [[i.question for i in t.items.order_by("position")] for t in ticket_set.tickets.all()]


def test_generated_tickets_cover_the_sections_without_duplicates_and_use_questions_evenly(world):
    programme = programmes.programme_approve(programme=draft(world, 30), actor=world.head)
    ticket_set = programmes.tickets_generate(programme=programme, count=10, per_ticket=3, actor=world.head)
    tickets = _tickets(ticket_set)
    assert len(tickets) == 10
    for questions in tickets:
        assert len(set(questions)) == 3
        assert sorted(q.section for q in questions) == ["A", "B", "C"]
    usage = Counter(q.pk for qs in tickets for q in qs)
    assert set(usage.values()) == {1}  # 30 questions, 30 places: each once


def test_more_places_than_questions_still_balances_use(world):
    programme = programmes.programme_approve(programme=draft(world, 7, sections=("A",)), actor=world.head)
    tickets = _tickets(programmes.tickets_generate(programme=programme, count=9, per_ticket=3, actor=world.head))
    usage = Counter(q.pk for qs in tickets for q in qs)
    assert max(usage.values()) - min(usage.values()) <= 1
    assert all(len(set(qs)) == 3 for qs in tickets)


def test_tickets_need_an_approved_programme_and_enough_questions(world):
    programme = draft(world, 2)
    with pytest.raises(ValidationError, match="approved programme"):
        programmes.tickets_generate(programme=programme, count=2, per_ticket=2, actor=world.head)
    programme = programmes.programme_approve(programme=programme, actor=world.head)
    with pytest.raises(ValidationError, match="needs at least 3"):
        programmes.tickets_generate(programme=programme, count=2, per_ticket=3, actor=world.head)


def test_approved_tickets_are_frozen_and_a_change_is_a_new_version(world):
    programme = programmes.programme_approve(programme=draft(world, 6), actor=world.head)
    ticket_set = programmes.tickets_generate(programme=programme, count=2, per_ticket=2, actor=world.head)
    ticket_set = programmes.ticket_set_approve(ticket_set=ticket_set, actor=world.head)
    ticket = ticket_set.tickets.first()
    spare = programme.questions.exclude(pk__in=ticket.items.values("question")).first()
    with pytest.raises(ValidationError, match="frozen"):
        programmes.ticket_question_replace(ticket=ticket, position=1, question=spare, actor=world.head)
    new = programmes.ticket_set_revise(ticket_set=ticket_set, actor=world.head)
    assert (new.version, new.state) == (2, TicketSet.State.DRAFT)
    assert _tickets(new) == _tickets(ticket_set)
    programmes.ticket_question_replace(ticket=new.tickets.first(), position=1, question=spare, actor=world.head)
    assert _tickets(new) != _tickets(ticket_set)


def test_a_ticket_never_holds_a_question_twice(world):
    programme = programmes.programme_approve(programme=draft(world, 4), actor=world.head)
    ticket = programmes.tickets_generate(programme=programme, count=1, per_ticket=2, actor=world.head).tickets.get()
    already = ticket.items.get(position=2).question
    with pytest.raises(ValidationError, match="already on the ticket"):
        programmes.ticket_question_replace(ticket=ticket, position=1, question=already, actor=world.head)


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("questions.xlsx", out.getvalue())


def test_the_head_imports_questions_from_xlsx_and_approves(client, world):
    programme = draft(world)
    client.force_login(world.head)
    client.post(
        reverse("exams:programme_action", args=[programme.pk, "import"]),
        {"file": _xlsx([("Section", "Question"), ("Деректер қоры", "SQL JOIN"), ("Желілер", "TCP")])},
    )
    assert list(programme.questions.values_list("section", "text")) == [("Деректер қоры", "SQL JOIN"), ("Желілер", "TCP")]
    client.post(reverse("exams:programme_action", args=[programme.pk, "approve"]))
    programme.refresh_from_db()
    assert programme.approved_by == world.head


def test_members_see_programmes_but_cannot_change_them(client, world):
    programme = draft(world, 2)
    client.force_login(world.member)
    assert client.get(reverse("exams:programmes", args=[world.commission.pk])).status_code == 200
    assert client.post(reverse("exams:programme_action", args=[programme.pk, "approve"])).status_code == 404
    assert client.post(reverse("exams:programmes", args=[world.commission.pk]), {"title": "x"}).status_code == 403


def test_outsiders_and_students_get_404_on_programmes(client, world):
    programme = draft(world, 2)
    for user in (world.outsider, world.student.user):
        client.force_login(user)
        assert client.get(reverse("exams:programmes", args=[world.commission.pk])).status_code == 404
        assert client.get(reverse("exams:programme", args=[programme.pk])).status_code == 404


def test_a_renamed_file_is_refused_as_a_programme_document(client, world):
    client.force_login(world.head)
    response = client.post(
        reverse("exams:programmes", args=[world.commission.pk]),
        {"title": "P", "file": SimpleUploadedFile("programme.pdf", b"<html>not a pdf</html>")},
    )
    assert response.context["form"].errors["file"][0].startswith("programme.pdf")
    assert not ExamProgramme.objects.exists()
