import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exams.admission import services
from exams.admission.models import Conclusion, Review, Source
from exams.admission.selectors import student_admission_for

from .conftest import make_green, register


def test_a_negative_supervisor_conclusion_blocks_admission(world, supervisor, reviewer, head, defense):
    make_green(world.student, supervisor=supervisor, reviewer=reviewer, head=head, skip="negative_supervisor")
    status = student_admission_for(student=world.student)
    assert not status.green
    with pytest.raises(ValidationError):
        services.admission_list_admit(actor=head, programme=world.programme, student_ids=[world.student.pk])
    assert "not admitted" in services.admission_refusal(student=world.student, commission=defense)


def test_supervisors_can_only_review_their_own_theses(world, supervisor, reviewer):
    other_supervisor = world.chair
    thesis = register(world.other_student, other_supervisor, reviewer)
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=supervisor, thesis=thesis, kind=Review.Kind.SUPERVISOR, conclusion=Conclusion.ADMITTED, text="..."
        )


def test_the_reviewer_cannot_write_the_supervisors_review(world, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=reviewer, thesis=thesis, kind=Review.Kind.SUPERVISOR, conclusion=Conclusion.ADMITTED, text="..."
        )


def test_own_supervisor_submits_in_the_portal_and_the_department_uploads_from_email(world, supervisor, reviewer, head):
    thesis = register(world.student, supervisor, reviewer)
    own = services.review_submit(
        actor=supervisor, thesis=thesis, kind=Review.Kind.SUPERVISOR, conclusion=Conclusion.ADMITTED, text="Жақсы."
    )
    assert own.source == Source.PORTAL
    external = services.review_submit(
        actor=head,
        thesis=thesis,
        kind=Review.Kind.EXTERNAL,
        conclusion=Conclusion.ADMITTED,
        letter="a-",
        text="Хат арқылы келді.",
    )
    assert external.source == Source.EMAIL and external.letter == "A-"


def test_the_external_review_needs_a_letter_grade_from_the_scale(world, supervisor, reviewer):
    thesis = register(world.student, supervisor, reviewer)
    for letter in ("", "I", "Z"):
        with pytest.raises(ValidationError):
            services.review_submit(
                actor=reviewer,
                thesis=thesis,
                kind=Review.Kind.EXTERNAL,
                conclusion=Conclusion.ADMITTED,
                letter=letter,
                text="...",
            )


def test_after_the_reviews_the_student_cannot_swap_supervisor_or_reviewer(world, supervisor, reviewer, head):
    thesis = register(world.student, supervisor, reviewer)
    services.review_submit(
        actor=supervisor, thesis=thesis, kind=Review.Kind.SUPERVISOR, conclusion=Conclusion.NOT_ADMITTED, text="Аяқталмаған."
    )
    with pytest.raises(ValidationError):
        register(world.student, world.chair, reviewer)
    assert register(world.student, world.chair, reviewer, actor=head).supervisor == world.chair
