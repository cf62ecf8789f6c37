"""Builds, through the apps' own services, one object of every kind a URL takes an id of — for the access matrix.

Everything hangs off the persona world (attestation.tests.factories.World): the student's slot is the one every
per-student URL points at, so `other_student` is always the wrong student and must get a 404.
"""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from appeals import services as appeal_services
from appeals.models import AppealMember
from attestation.accounts.services import invitation_send
from attestation.institutions.models import Discipline, InstitutionAdmin, Policy, Registrar
from attestation.tests.factories import UserFactory, World
from attestation.tests.security.hostile import PDF as REAL_PDF
from commissions.attendance import attendance_record
from commissions.grading import services as grading
from commissions.grading import votes
from commissions.models import MemberGrade, Membership, Paper, Result, Slot
from commissions.papers import services as papers
from exams import programmes
from exams import services as exams
from exams.admission import acquaintance as admission_acquaintance
from exams.admission import services as admission
from exams.admission.models import Acquaintance, ClearanceLine, Conclusion, Review
from exams.applications import services as applications
from exams.applications import transcripts
from exams.applications.models import Application
from exams.models import Attempt
from exams.preparation import services as preparation
from proctoring import services as proctoring

PDF = REAL_PDF


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _tickets(w: World):
    programme = programmes.programme_create(
        commission=w.commission, title="Кешенді емтихан", actor=w.head, file=SimpleUploadedFile("programme.pdf", PDF)
    )
    for i in range(4):
        programmes.question_add(
            programme=programme, section=("Деректер қоры", "Желілер")[i % 2], text=f"Сұрақ {i + 1}", actor=w.head
        )
    programme = programmes.programme_approve(programme=programme, actor=w.head)
    ticket_set = programmes.tickets_generate(programme=programme, count=2, per_ticket=2, actor=w.head)
    programmes.ticket_set_approve(ticket_set=ticket_set, actor=w.head)
    return programme, ticket_set


def _admission(w: World, head) -> dict:
    """The student's thesis made green (as exams/admission/tests/conftest.make_green), the list admitted with its
    order, and the procedure sent to the programme (every student gets an acquaintance to confirm)."""
    supervisor = UserFactory(username="supervisor", first_name="Айгүл", last_name="Сейітова")
    reviewer = UserFactory(username="reviewer", first_name="Серік", last_name="Жұмабаев")
    thesis = admission.thesis_register(
        actor=w.student.user,
        student=w.student,
        topic_kk="Ақпараттық жүйелердегі деректерді өңдеу",
        topic_ru="Обработка данных в информационных системах",
        language="kk",
        supervisor=supervisor,
        reviewer=reviewer,
    )
    version = admission.thesis_version_upload(
        actor=w.student.user, thesis=thesis, upload=SimpleUploadedFile("thesis.pdf", PDF)
    )
    admission.thesis_formatting_check(actor=head, thesis=thesis, passed=True)
    admission.review_submit(
        actor=supervisor,
        thesis=thesis,
        kind=Review.Kind.SUPERVISOR,
        conclusion=Conclusion.ADMITTED,
        text="Жұмыс талаптарға сай.",
    )
    admission.review_submit(
        actor=reviewer,
        thesis=thesis,
        kind=Review.Kind.EXTERNAL,
        conclusion=Conclusion.ADMITTED,
        letter="B+",
        text="Жақсы жұмыс.",
    )
    admission.plagiarism_check_record(
        actor=head,
        thesis=thesis,
        checked_on=dt.date(2020, 5, 4),
        similarity=Decimal("12.5"),
        originality=Decimal("87.5"),
        passed=True,
    )
    admission.certificate_upload(actor=supervisor, thesis=thesis, upload=SimpleUploadedFile("certificate.pdf", PDF))
    for line in ClearanceLine.Line.values:
        admission.clearance_mark(actor=head, student=w.student, line=line, cleared=True)
    # the other student's thesis, with another supervisor and no reviewer: not the supervisor's nor the reviewer's
    other_thesis = admission.thesis_register(
        actor=w.other_student.user,
        student=w.other_student,
        topic_kk="Желілік қауіпсіздік",
        topic_ru="Сетевая безопасность",
        language="kk",
        supervisor=UserFactory(username="other-supervisor"),
    )
    admission_list = admission.admission_list_admit(actor=head, programme=w.programme, student_ids=[w.student.pk])
    notice = admission_acquaintance.procedure_send(
        actor=head,
        programme=w.programme,
        upload=SimpleUploadedFile("procedure.pdf", PDF),
        attestation_starts=dt.date(2020, 6, 1),
    )
    return {
        "supervisor": supervisor,
        "reviewer": reviewer,
        "thesis": thesis,
        "thesis_version": version,
        "other_thesis": other_thesis,
        "admission_list": admission_list,
        "notice": notice,
        "acquaintance": Acquaintance.objects.get(notice=notice, student=w.student),
    }


def _applications(w: World, slot: Slot, inst_admin) -> dict:
    """The student's applications, one of each kind (R41, R42, R44, R45), and a queued transcript import."""
    during = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    discipline = Discipline.objects.create(
        institution=w.institution, code="DB2201", name_kk="Дерекқор", name_ru="Базы данных", category="basic"
    )
    kind = Application.Kind
    student = w.student.user
    made = {
        kind.MISSED: applications.application_file(
            actor=student,
            kind=kind.MISSED,
            slot=slot,
            reasons="Ауырдым",
            document=SimpleUploadedFile("spravka.pdf", PDF),
            now=during,
        ),
        kind.POSTPONEMENT: applications.application_file(
            actor=student,
            kind=kind.POSTPONEMENT,
            slot=slot,
            ground=Application.Ground.NO_EQUIPMENT,
            requested_date=dt.date(2020, 6, 15),
            reasons="Интернет жоқ",
            now=during,
        ),
        kind.SUMMATIVE: applications.application_file(
            actor=student,
            kind=kind.SUMMATIVE,
            attestation=Application.Attestation.INTERMEDIATE,
            discipline=discipline,
            period="2019-2",
            reasons="Емтихан онлайн өтпейді",
            now=during,
        ),
        kind.RESTUDY: applications.application_file(
            actor=student, kind=kind.RESTUDY, discipline=discipline, period="2019-2", reasons="Компьютер жоқ", now=during
        ),
    }
    import_job = transcripts.job_create(
        actor=inst_admin,
        institution=w.institution,
        kind="csv",
        upload=SimpleUploadedFile("scores.csv", b"iin,code,period,kind,points\n"),
    )
    return {"applications": {str(k): a for k, a in made.items()}, "import_job": import_job}


def build() -> dict:
    """The world, the extra personas and one object per id-taking URL. Call inside a transaction."""
    w = World.build()
    inst_admin, registrar = UserFactory(username="inst-admin"), UserFactory(username="registrar")
    InstitutionAdmin.objects.create(institution=w.institution, user=inst_admin)
    Registrar.objects.create(institution=w.institution, user=registrar)
    Policy.objects.filter(institution=w.institution, academic_year=w.commission.academic_year).update(
        public_results=Policy.PublicResults.NUMBER_AND_GRADE
    )
    slot = Slot.objects.select_related("sitting__commission", "student").get(sitting=w.sitting, student=w.student)
    other_slot = Slot.objects.get(sitting=w.sitting, student=w.other_student)
    application_objects = _applications(w, slot, inst_admin)  # filed before the student sits and is graded (R40)

    # exams: a written exam with an approved programme (with its file) and tickets
    settings_ = exams.exam_settings_for(w.commission)
    settings_.exam_format = "written"
    settings_.save()
    programme, ticket_set = _tickets(w)

    # the student: identified, admitted, draws, writes, uploads a sheet, gets a written question, drops out
    id_copy = proctoring.id_copy_upload(
        student=w.student, upload=SimpleUploadedFile("id.png", png_bytes()), actor=w.student.user
    )
    attempt = exams.attempt_for_slot(slot=slot)
    for state in (Attempt.State.IDENTIFIED, Attempt.State.ADMITTED):
        attempt = exams.attempt_transition(attempt=attempt, to_state=state, actor=w.secretary)
    exams.ticket_draw(attempt=attempt, actor=w.student.user)
    attempt.refresh_from_db()
    sheet = exams.answer_sheet_upload(attempt=attempt, upload=SimpleUploadedFile("a.png", png_bytes()), actor=w.student.user)
    exams.written_mode_switch(attempt=attempt, actor=w.secretary)
    question = exams.question_record(attempt=attempt, member=w.member, text="Нормализация дегеніміз не?", actor=w.secretary)
    interruption = proctoring.interruption_request(slot=slot, message="Wi-Fi", actor=w.student.user)
    act = proctoring.failure_act_draw_up(
        slot=slot, description="Zoom серверi жауап бермедi", occurred_at=timezone.now(), language="kk", actor=w.secretary
    )

    # the other student refuses the room check: a check waiting for the commission's decision
    other_attempt = exams.attempt_for_slot(slot=other_slot)
    exams.attempt_transition(attempt=other_attempt, to_state=Attempt.State.IDENTIFIED, actor=w.secretary)
    room_check = proctoring.room_check_record(
        slot=other_slot, alone=False, devices_ok=False, room_shown=False, refused=True, note="", actor=w.secretary
    )
    # a proctor watching one student of the sitting (R7): the OTHER student, never world.student
    slot_proctor = UserFactory(username="slot-proctor")
    proctoring.proctor_assign(sitting=w.sitting, user=slot_proctor, actor=w.secretary, slot=other_slot)

    # grading: both voting members grade the student, the chair announces; a degree vote is open
    everyone = w.commission.memberships.values_list("pk", flat=True)
    attendance_record(actor=w.secretary, sitting=w.sitting, present_ids=everyone)  # the quorum grading needs
    Slot.objects.filter(pk=slot.pk).update(status=Slot.Status.DONE)  # examined: grading opens (R33)
    grading.grade_submit(actor=w.chair, slot=slot, points="96")
    grading.grade_submit(actor=w.member, slot=slot, points="92")
    grade = MemberGrade.objects.get(slot=slot, membership__user=w.member)
    vote_round = votes.vote_open(actor=w.chair, slot=slot, mode="open")
    grading.results_announce(actor=w.chair, sitting=w.sitting)
    result = Result.objects.get(slot=slot)

    # documents: the grade sheet (signed by chair and members), the student's protocol, a finished job
    vedomost = papers.paper_render(actor=w.chair, kind=Paper.Kind.VEDOMOST, sitting=w.sitting)
    protocol = papers.paper_render(actor=w.chair, kind=Paper.Kind.PROTOCOL, sitting=w.sitting, slot=slot)
    job = papers.job_create(actor=w.chair, commission=w.commission, sitting=w.sitting)
    job.output = vedomost.document  # as the worker leaves it; the worker itself is not run here
    job.save(update_fields=["output"])

    # appeals: an appeal commission for this commission, the student's appeal with an attachment
    appeal_people = [UserFactory(username=f"appeal{i}") for i in range(3)]
    appeal_commission = appeal_services.appeal_commission_create(
        actor=w.head,
        institution=w.institution,
        academic_year=2019,
        name_kk="Апелляциялық комиссия",
        name_ru="Апелляционная комиссия",
        order_number="45-А",
        order_date=dt.date(2020, 4, 20),
        commissions=[w.commission],
        members=[
            (appeal_people[0], AppealMember.Role.CHAIR),
            (appeal_people[1], AppealMember.Role.MEMBER),
            (appeal_people[2], AppealMember.Role.MEMBER),
        ],
    )
    appeal = appeal_services.appeal_file(
        actor=w.student.user,
        result=result,
        reasons="Баллдар дұрыс қосылмаған",
        attachments=[SimpleUploadedFile("evidence.pdf", PDF)],
    )

    admission_objects = _admission(w, w.head)

    link = invitation_send(actor=w.head, user=w.member, base_url="")
    series = preparation.series_set(actor=w.head, commission=w.commission, starts_on=dt.date(2020, 5, 25))
    webinar = preparation.webinar_create(
        actor=w.head, commission=w.commission, audience="students", starts_at=timezone.now(), url="https://zoom.us/j/5"
    )
    return {
        "world": w,
        "users": {
            "student": w.student.user,
            "other_student": w.other_student.user,
            "chair": w.chair,
            "member": w.member,
            "secretary": w.secretary,
            "head": w.head,
            "outsider": w.outsider,
            "inst_admin": inst_admin,
            "registrar": registrar,
            "appeal_chair": appeal_people[0],
            "slot_proctor": slot_proctor,
            "supervisor": admission_objects["supervisor"],
            "reviewer": admission_objects["reviewer"],
        },
        **admission_objects,
        **application_objects,
        "slot": slot,
        "other_slot": other_slot,
        "programme": programme,
        "ticket_set": ticket_set,
        "id_copy": id_copy,
        "attempt": attempt,
        "sheet": sheet,
        "question": question,
        "interruption": interruption,
        "act": act,
        "room_check": room_check,
        "grade": grade,
        "vote_round": vote_round,
        "result": result,
        "vedomost": vedomost,
        "protocol": protocol,
        "job": job,
        "appeal_commission": appeal_commission,
        "appeal": appeal,
        "attachment": appeal.attachments.get(),
        "token": link.rstrip("/").rsplit("/", 1)[-1],
        "member_membership": Membership.objects.get(commission=w.commission, user=w.member),
        "chair_membership": Membership.objects.get(commission=w.commission, user=w.chair),
        "step": series.steps.get(kind="handed_to_secretary"),
        "webinar": webinar,
    }
