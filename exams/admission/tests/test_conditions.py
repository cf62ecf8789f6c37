import pytest

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
