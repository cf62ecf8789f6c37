import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError

from attestation.core.models import AuditEvent
from exams.admission import services
from exams.admission.models import AdmissionDecision

from .conftest import make_green


def test_only_green_students_can_be_admitted(world, supervisor, reviewer, head):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    make_green(world.other_student, supervisor=supervisor, reviewer=reviewer, head=head, skip="clearance")
    with pytest.raises(ValidationError):
        services.admission_list_admit(
            actor=head, programme=world.programme, student_ids=[world.student.pk, world.other_student.pk]
        )
    assert not AdmissionDecision.objects.exists()


def test_the_head_admits_the_list_recording_who_and_when_with_the_order(world, supervisor, reviewer, head):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    admission_list = services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    decision = AdmissionDecision.objects.get(student=world.student)
    assert decision.outcome == "admitted" and decision.decided_by == head and decision.admission_list == admission_list
    assert admission_list.admitted_by == head and admission_list.order.language == "kk"
    assert AuditEvent.objects.filter(verb="admission.admit", actor=head).exists()


def test_an_admitted_student_cannot_be_admitted_twice(world, supervisor, reviewer, head):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    with pytest.raises(ValidationError):
        services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])


def test_students_of_another_programme_cannot_be_on_the_list(world, head):
    with pytest.raises(ValidationError):
        services.admission_list_admit(actor=head, programme=world.programme, student_ids=[999999])


def test_admission_refusal_says_why_an_unadmitted_student_cannot_defend(world, supervisor, reviewer, head, defense):
    refusal = services.admission_refusal(student=world.student, commission=defense)
    assert refusal and "Supervisor's review" in refusal
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    assert "has not admitted" in services.admission_refusal(student=world.student, commission=defense)
    services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    assert services.admission_refusal(student=world.student, commission=defense) is None


def test_admission_refusal_ignores_commissions_that_are_not_a_defense(world):
    assert world.commission.form == "complex_exam"
    assert services.admission_refusal(student=world.student, commission=world.commission) is None


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) is not installed")
def test_the_order_pdf_is_in_the_programmes_language_with_kazakh_letters(world, supervisor, reviewer, head, tmp_path):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    admission_list = services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    path = tmp_path / "order.pdf"
    path.write_bytes(admission_list.order.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    words = text.split()
    assert "Қасымов" in words and "Әлібек" in words
    assert {"Ақпараттық", "жүйелердегі", "өңдеу"} <= set(words)


def test_a_masters_admission_order_speaks_of_the_masters_dissertation(world, supervisor, reviewer, head, tmp_path):
    """GLOSSARY.md: a master's student defends a master's dissertation (project), not a diploma work."""
    world.programme.level = "master"
    world.programme.save()
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    admission_list = services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    path = tmp_path / "order.pdf"
    path.write_bytes(admission_list.order.file.read())
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())  # noqa: S603,S607
    assert "магистрлік диссертацияны" in text.lower() and "дипломдық жұмыс" not in text.lower()
