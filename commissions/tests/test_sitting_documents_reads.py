"""The sitting's documents job reads what its protocols show once for all of them (commissions.papers.context
.protocol_rows): each protocol is the same HTML as a protocol drawn up alone, and the job's reads do not grow with
the number of students — only the filing of each new protocol does."""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from attestation.documents.language import document_language
from attestation.documents.render import document_html
from attestation.institutions.models import Group, Student
from attestation.tests.factories import StudentFactory
from commissions import services as commission_services
from commissions.grading import services as grading
from commissions.models import DocumentJob, Paper, Slot
from commissions.papers import context as ctx
from commissions.papers import services
from commissions.tests.conftest import everyone_present
from exams import services as exams
from exams.models import Attempt, QuestionAsked
from exams.tests.conftest import admitted, make_tickets

pytestmark = pytest.mark.django_db


def _russian_group_for(world, student) -> None:
    """Two document languages in one sitting: the other student studies in Russian."""
    group = Group.objects.create(programme=world.programme, name="ИС-19-2", study_language="ru")
    Student.objects.filter(pk=student.pk).update(group=group)


def _exam_materials(world) -> None:
    """The Kazakh-taught student drew a ticket and was asked a question; the other has no attempt."""
    make_tickets(world)
    attempt = admitted(world)
    exams.ticket_draw(attempt=attempt, actor=world.student.user)
    QuestionAsked.objects.create(
        attempt=attempt, member=world.member, text="Нормализация деген не?", asked_at=timezone.now(), recorded_by=world.chair
    )
    Attempt.objects.filter(pk=attempt.pk).update(state=Attempt.State.FINISHED)  # examined: grading opens (R33)
    Slot.objects.filter(pk=attempt.slot_id).update(status=Slot.Status.DONE)


def _defense_materials(world) -> None:
    """A defense: the Kazakh-taught student's thesis is in the portal, the other's is not."""
    world.commission.form = "defense"
    world.commission.save(update_fields=["form"])
    apps.get_model("admission", "Thesis").objects.create(
        student=world.student,
        topic_kk="Мәтінді талдау жүйесі",
        topic_ru="Система анализа текста",
        language="kk",
        supervisor=world.head,
        reviewer_name="Сейітқали Ғабит",
    )


def _graded_with_an_opinion(world) -> list[Slot]:
    everyone_present(world)
    slots = list(Slot.objects.filter(sitting=world.sitting).order_by("pk"))
    for target, chair_points, member_points in zip(slots, ("96", "71"), ("92", "68"), strict=True):
        grading.grade_submit(actor=world.chair, slot=target, points=chair_points)
        grading.grade_submit(actor=world.member, slot=target, points=member_points)
    grading.dissenting_opinion_record(actor=world.member, slot=slots[0], text="Жауаптар толық емес.")
    grading.results_announce(actor=world.chair, sitting=world.sitting)
    return slots


@pytest.mark.parametrize("form", ["complex_exam", "defense"])
def test_a_protocol_read_with_its_sittings_others_is_the_same_html_as_one_read_alone(world, form):
    _russian_group_for(world, world.other_student)
    (_exam_materials if form == "complex_exam" else _defense_materials)(world)
    slots = _graded_with_an_opinion(world)
    rows = ctx.protocol_rows(slot_ids=[s.pk for s in slots])
    pages = []
    for slot in slots:
        language = document_language(Student.objects.get(pk=slot.student_id).group.study_language)
        with translation.override(language):
            together = ctx.protocol_context(slot=slot, paper_id=uuid.UUID(int=slot.pk), rows=rows)
            alone = ctx.protocol_context(slot=slot, paper_id=uuid.UUID(int=slot.pk))
        page = document_html(template=services.TEMPLATES[Paper.Kind.PROTOCOL], context=together, language=language)
        assert page == document_html(template=services.TEMPLATES[Paper.Kind.PROTOCOL], context=alone, language=language)
        pages.append(page)
    kazakh, russian = pages
    assert 'lang="kk"' in kazakh and 'lang="ru"' in russian
    assert "Жауаптар толық емес." in kazakh and "Жауаптар толық емес." not in russian
    if form == "complex_exam":
        assert "Нормализация деген не?" in kazakh and "Нормализация деген не?" not in russian
    else:
        assert "Мәтінді талдау жүйесі" in kazakh and "Система анализа текста" not in russian


def _more_students(world, n: int) -> list[Slot]:
    world.sitting.ends_at = dt.time(19)
    world.sitting.save(update_fields=["ends_at"])
    return commission_services.schedule_fill(
        actor=world.secretary, sitting=world.sitting, students=[StudentFactory(group=world.group) for _ in range(n)]
    )


def _job_queries(world) -> list[str]:
    job = DocumentJob.objects.create(
        sitting=world.sitting, commission=world.commission, requested_by=world.secretary, created_at=timezone.now()
    )
    with CaptureQueriesContext(connection) as captured:
        services.job_run(job_pk=job.pk)
    return [q["sql"] for q in captured.captured_queries]


def _numbering(sql: str) -> bool:
    """The two reads of a protocol's number (the commission's lock and the last number), one pair per protocol."""
    return sql.endswith("FOR UPDATE") or 'MAX("commissions_paper"."number")' in sql


# What filing one more protocol costs: its number (2), its Document, audit event and Paper rows (3), the job's
# progress (1), and the savepoints of the paper's and the document's transactions (4).
QUERIES_PER_PROTOCOL = 10


@pytest.mark.parametrize("form", ["complex_exam", "defense"])
def test_the_sitting_documents_job_reads_the_same_for_twice_the_students(world, announced, media, form):
    # scheduled before the form changes (a defense schedules only admitted students); the last stays ungraded in both
    # runs, so both grade sheets look up why a student has no grade
    *more, _ungraded = _more_students(world, 3)
    world.commission.form = form
    world.commission.save(update_fields=["form"])
    _job_queries(world)  # the content types of the rows it files are cached from then on
    small = _job_queries(world)  # the two graded students (the others have no result: no protocol yet)
    for slot in more:
        grading.result_set_incomplete(actor=world.chair, slot=slot)
    big = _job_queries(world)
    assert Paper.objects.filter(kind=Paper.Kind.PROTOCOL).count() == 2 + 2 + 4
    reads = [[q for q in run if q.startswith("SELECT") and not _numbering(q)] for run in (small, big)]
    assert len(reads[1]) == len(reads[0])
    assert len(big) - len(small) == 2 * QUERIES_PER_PROTOCOL
