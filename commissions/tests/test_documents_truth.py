"""Issue 23: what a document says about its signatures and grades is true. A document states only the signatures
it carries and who still has to sign; the registrar's signed lists show only signed documents; the portfolio holds
exactly its index; the chair's report counts each student once."""

import csv
import datetime as dt
import hashlib
import io
import subprocess
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from attestation.institutions.models import Registrar
from attestation.tests.factories import StudentFactory, UserFactory
from commissions import services as commission_services
from commissions.grading import services as grading
from commissions.models import DocumentJob, Paper, Result, Slot
from commissions.papers import report as report_module
from commissions.papers import services, testca
from commissions.tests.conftest import everyone_present, set_policy
from exams import services as exams
from exams.models import Attempt
from exams.tests.conftest import admitted
from proctoring import services as proctoring
from proctoring.tests.test_proctoring import image_bytes

pytestmark = pytest.mark.django_db
DURING = dt.datetime(2020, 5, 12, 9, 20, tzinfo=ZoneInfo("Asia/Almaty"))


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def render(world, kind, slot=None):
    return services.paper_render(actor=world.secretary, kind=kind, sitting=world.sitting, slot=slot)


def sign(user, paper):
    return testca.sign_as(actor=user, paper=paper)


def registrar(world):
    user = UserFactory(username="registrar")
    Registrar.objects.create(institution=world.institution, user=user)
    return user


def test_an_unsigned_protocol_does_not_claim_signatures_and_says_who_signs(world, slot, announced, media):
    protocol = render(world, Paper.Kind.PROTOCOL, slot)
    text = " ".join(pdf_text(protocol.document.file.read(), media).split())
    assert "Электрондық қолтаңбалармен қол қойылған" not in text  # the old claim, made before anyone signed
    assert "қол қойылуы тиіс" in text  # "to be signed with the EDS of the persons named above"
    assert world.chair.display_name in text and world.secretary.display_name in text


def test_the_documents_page_says_who_still_has_to_sign(client, world, slot, announced, media):
    protocol = render(world, Paper.Kind.PROTOCOL, slot)
    client.force_login(world.secretary)
    url = reverse("commissions:sitting_documents", args=[world.sitting.pk])
    page = client.get(url)
    row = next(p for p in page.context["papers"] if p.pk == protocol.pk)
    assert [m.user for m in row.awaiting] == [world.chair, world.secretary]
    assert "data-awaiting" in page.content.decode()
    sign(world.secretary, protocol)  # the secretary signs before the chair
    row = next(p for p in client.get(url).context["papers"] if p.pk == protocol.pk)
    assert [m.user for m in row.awaiting] == [world.chair] and not row.is_signed
    verify = client.get(reverse("commissions:verify_paper", args=[protocol.pk])).content.decode()
    assert "data-awaiting" in verify and world.chair.display_name in verify


def test_the_registrar_sees_only_documents_signed_by_everyone_who_signs_them(client, world, slot, announced, media):
    protocol, vedomost = render(world, Paper.Kind.PROTOCOL, slot), render(world, Paper.Kind.VEDOMOST)
    client.force_login(registrar(world))
    url = reverse("commissions:registry", args=[world.institution.pk])
    assert list(client.get(url).context["papers"]) == []
    sign(world.secretary, protocol)
    sign(world.member, vedomost)
    assert list(client.get(url).context["papers"]) == []  # the chair (who signs last) not yet
    sign(world.chair, protocol)
    assert list(client.get(url).context["papers"]) == [protocol]
    sign(world.chair, vedomost)
    assert set(client.get(url).context["papers"]) == {protocol, vedomost}


def _build_portfolio(client, world, capture):
    client.force_login(world.secretary)
    with capture(execute=True):
        client.post(reverse("commissions:portfolio_queue", args=[world.commission.pk]))
    job = DocumentJob.objects.filter(kind="portfolio").latest("created_at")
    assert job.state == "done", job.error
    response = client.get(reverse("commissions:job_output", args=[job.pk]))
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_portfolio_holds_exactly_its_index_signed_papers_acts_and_id_copies(
    client, world, slot, other_slot, announced, media, eager_celery, django_capture_on_commit_callbacks
):
    set_policy(world, portfolio_id_copies=True)
    proctoring.id_copy_upload(
        student=world.student, upload=SimpleUploadedFile("id.jpg", image_bytes()), actor=world.student.user
    )
    with time_machine.travel(DURING, tick=False):
        admitted(world)
        act = proctoring.failure_act_draw_up(
            slot=other_slot, description="Zoom fell", occurred_at=DURING, language="kk", actor=world.secretary
        )
    signed_protocol = render(world, Paper.Kind.PROTOCOL, slot)
    sign(world.secretary, signed_protocol)
    sign(world.chair, signed_protocol)
    half_signed = render(world, Paper.Kind.PROTOCOL, other_slot)
    sign(world.secretary, half_signed)
    vedomost = render(world, Paper.Kind.VEDOMOST)
    for user in (world.member, world.chair):
        sign(user, vedomost)
    services.papers_amend_after_change(actor=world.secretary, slot=slot, reason="Appeal")  # amendments, unsigned
    archive = _build_portfolio(client, world, django_capture_on_commit_callbacks)
    index = list(csv.reader(io.StringIO(archive.read("index.csv").decode())))
    assert index[0] == ["file", "kind", "sha256", "signed_by"]
    listed = {row[0] for row in index[1:]}
    assert listed | {"index.csv"} == set(archive.namelist())  # the index names exactly the files, no more, no less
    kinds = sorted(row[1] for row in index[1:])
    # the amended protocol and vedomost wait for signatures (their signed originals are superseded), the other
    # protocol has only the secretary's signature: none of them is in; the act and the ID copy are.
    assert kinds == ["id_copy", "technical_failure_act"], index
    assert any(name.startswith("acts/") and str(act.document_id) in name for name in listed)
    page = client.get(reverse("commissions:commission_documents", args=[world.commission.pk])).content.decode()
    assert "data-waiting" in page
    for name in listed:
        row = next(r for r in index if r[0] == name)
        assert hashlib.sha256(archive.read(name)).hexdigest() == row[2]


def test_portfolio_includes_the_signed_report_and_leaves_out_an_unsigned_one(
    client, world, slot, announced, media, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(world.chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commissions:report_queue", args=[world.commission.pk]), {"text": "Жақсы."})
    report = Paper.objects.get(kind="report")
    page = client.get(reverse("commissions:commission_documents", args=[world.commission.pk]))
    assert [m.user for m in page.context["report"].awaiting] == [world.chair]
    assert "report" not in {
        r.split("-")[0] for r in _build_portfolio(client, world, django_capture_on_commit_callbacks).namelist()
    }
    assert 'data-sign-url="' in page.content.decode()  # the chair signs it with NCALayer on this page
    sign(world.chair, report)
    names = _build_portfolio(client, world, django_capture_on_commit_callbacks).namelist()
    assert any(n.startswith("report") for n in names)
    set_policy(world, portfolio_id_copies=False)
    assert not any(n.startswith("id_copies/") for n in names)


def test_the_report_counts_each_student_once_with_the_final_result(world, slot, other_slot, announced, media):
    """A student graded twice (data from before R40 refused a second grade) counts once, with the latest result."""

    later = commission_services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 14),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(12, 0),
        meeting_url="https://zoom.us/j/2",
    )
    again = Slot.objects.create(
        sitting=later, student=world.other_student, starts_at=timezone.now(), duration_minutes=other_slot.duration_minutes
    )
    Result.objects.create(
        slot=again,
        points="81.00",
        letter="B",
        gpa="3.00",
        traditional="good",
        source="commission",
        decided_at=timezone.now(),
        announced_at=timezone.now(),
    )
    context = report_module.report_context(commission=world.commission, paper_id=None, text="")
    assert context["total"] == 2  # two students, not three results
    (programme,) = context["programmes"]
    assert {row["letter"]: row["count"] for row in programme["letters"]} == {"A-": 1, "B": 1}
    assert [row["share"] for row in programme["letters"]] == [50.0, 50.0]


def test_the_vedomost_marks_absent_and_technical_failure_students_and_claims_no_signature(world, slot, media):
    """Issue 20: the grade sheet says why a student has no grade — absent, or a technical failure with its act —
    and, before anyone signs, claims no signature (it says who is to sign)."""
    absent_student = StudentFactory(group=world.group, last_name_kk="Бекова", first_name_kk="Дана")
    absent_slot = commission_services.schedule_fill(actor=world.secretary, sitting=world.sitting, students=[absent_student])[
        0
    ]
    failed_slot = world.sitting.slots.get(student=world.other_student)
    with time_machine.travel(DURING, tick=False):
        everyone_present(world)
        grading.grade_submit(actor=world.chair, slot=slot, points="96")
        grading.grade_submit(actor=world.member, slot=slot, points="92")
        exams.attempt_transition(
            attempt=exams.attempt_for_slot(slot=absent_slot), to_state=Attempt.State.ABSENT, actor=world.secretary
        )
        proctoring.failure_act_draw_up(
            slot=failed_slot,
            description="Zoom серверi жауап бермедi",
            occurred_at=DURING,
            language="kk",
            actor=world.secretary,
        )
        vedomost = render(world, Paper.Kind.VEDOMOST)
    text = " ".join(pdf_text(vedomost.document.file.read(), media).split())
    assert "Бекова Дана" in text and world.other_student.full_name_kk in text
    assert "келмеді" in text  # absent
    assert "техникалық ақау" in text and "12.05.2020" in text  # the technical-failure act and its date
    assert "қол қойылған" not in text.replace("қол қойылуы тиіс", "")  # no signature claimed before anyone signs
    assert "қол қойылуы тиіс" in text and world.member.display_name in text
    with time_machine.travel(DURING, tick=False):
        degree = render(world, Paper.Kind.DEGREE_PROTOCOL)  # the degree protocol says the same of each student
    degree_text = " ".join(pdf_text(degree.document.file.read(), media).split())
    assert "келмеді" in degree_text and "техникалық ақау" in degree_text
