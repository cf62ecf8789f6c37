import pytest
from django.utils import translation

from commissions.papers.context import _theses, _thesis_materials
from exams.admission.selectors import student_admission_for

from .conftest import make_green

CONDITIONS = [
    "supervisor_review",
    "negative_supervisor",
    "external_review",
    "plagiarism",
    "certificate",
    "electronic_thesis",
    "formatting",
    "clearance",
]


def test_fully_documented_student_is_green(world, supervisor, reviewer, head):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    status = student_admission_for(student=world.student)
    assert status.green
    assert all(c.ok for c in status.conditions)


def test_student_without_thesis_is_red_on_everything_but_nothing_crashes(world):
    status = student_admission_for(student=world.student)
    assert not status.green
    assert {c.key for c in status.missing} == {
        "supervisor_review",
        "external_review",
        "plagiarism",
        "certificate",
        "electronic_thesis",
        "formatting",
        "clearance",
    }


@pytest.mark.parametrize("skip", CONDITIONS)
def test_each_missing_condition_turns_the_student_red(world, supervisor, reviewer, head, skip):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head, skip=skip)
    status = student_admission_for(student=world.student)
    assert not status.green
    expected = {"negative_supervisor": "supervisor_review"}.get(skip, skip)
    assert expected in {c.key for c in status.missing}


@pytest.mark.parametrize(("language", "certificate"), [("kk", "тапсырылды"), ("ru", "представлена")])
def test_the_plagiarism_check_reads_in_the_languages_numbers_and_words(
    world, supervisor, reviewer, head, language, certificate
):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head)
    thesis = _theses([world.student.pk], materials=True)[world.student.pk]
    with translation.override(language):
        materials = " ".join(value for _label, value in _thesis_materials(thesis))
        condition = next(c for c in student_admission_for(student=world.student).conditions if c.key == "plagiarism")
    assert "87,50" in materials and "12,50" in materials and "87.50" not in materials, materials
    assert certificate in materials, materials  # the certificate is handed in, not a grade "set"
    assert "87,50" in condition.detail, condition.detail
