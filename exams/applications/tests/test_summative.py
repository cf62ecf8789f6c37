from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissions.models import Result
from exams.applications import summative
from exams.applications.models import TranscriptRow
from exams.applications.tests.conftest import score

pytestmark = pytest.mark.django_db
CURRENT, MIDTERM, FINAL = TranscriptRow.Kind.CURRENT, TranscriptRow.Kind.MIDTERM, TranscriptRow.Kind.FINAL


def test_average_rounds_half_cents_up():
    assert summative.average([Decimal("89.99"), Decimal("90.00")]) == Decimal("90.00")
    assert summative.average([Decimal("70"), Decimal("71"), Decimal("71")]) == Decimal("70.67")


def test_intermediate_average_of_current_and_midterm_falls_in_the_lower_band(world, disciplines):
    score(world.student, disciplines["basic"], CURRENT, "94")
    score(world.student, disciplines["basic"], MIDTERM, "95")
    grade = summative.intermediate_grade(student=world.student, discipline=disciplines["basic"], period="2019-2")
    assert (grade.points, grade.letter) == (Decimal("94.50"), "A-")  # 94.5 is not yet A (95)


def test_intermediate_average_rounded_to_two_decimals_crosses_into_the_band(world, disciplines):
    score(world.student, disciplines["basic"], CURRENT, "89.99")
    score(world.student, disciplines["basic"], MIDTERM, "90.00")
    grade = summative.intermediate_grade(student=world.student, discipline=disciplines["basic"], period="2019-2")
    assert (grade.points, grade.letter, grade.gpa) == (Decimal("90.00"), "A-", Decimal("3.67"))


def test_intermediate_average_with_only_current_scores(world, disciplines):
    score(world.student, disciplines["basic"], CURRENT, "64")
    score(world.student, disciplines["basic"], CURRENT, "65", period="2019-1")  # another period: not counted
    grade = summative.intermediate_grade(student=world.student, discipline=disciplines["basic"], period="2019-2")
    assert (grade.points, grade.letter) == (Decimal("64.00"), "C-")


def test_intermediate_replace_writes_the_final_score_marked_summative(world, disciplines, chair):
    score(world.student, disciplines["basic"], CURRENT, "70")
    score(world.student, disciplines["basic"], MIDTERM, "71")
    row = summative.intermediate_replace(
        actor=chair, student=world.student, discipline=disciplines["basic"], period="2019-2"
    )
    assert (row.kind, row.points, row.source) == (FINAL, Decimal("70.50"), TranscriptRow.Source.SUMMATIVE)


def test_final_average_over_basic_and_profiling_only(world, disciplines, slot, chair):
    score(world.student, disciplines["general"], FINAL, "20", period="2018-1")  # general: not counted
    score(world.student, disciplines["basic"], FINAL, "88", period="2018-1")
    score(world.student, disciplines["basic2"], FINAL, "79", period="2018-2")
    score(world.student, disciplines["profiling"], FINAL, "91.5", period="2019-1")
    result = summative.final_replace(actor=chair, slot=slot)
    assert (result.points, result.letter, result.source) == (Decimal("86.17"), "B+", Result.Source.SUMMATIVE)


def test_no_scores_no_average(world, disciplines):
    with pytest.raises(ValidationError):
        summative.intermediate_grade(student=world.student, discipline=disciplines["basic"], period="2019-2")


def test_institution_replaces_a_whole_list_of_disciplines(world, disciplines, inst_admin):
    for student in (world.student, world.other_student):
        score(student, disciplines["basic"], CURRENT, "80")
        score(student, disciplines["profiling"], MIDTERM, "60")
    assert (
        summative.summative_replace_list(
            actor=inst_admin, disciplines=[disciplines["basic"], disciplines["profiling"]], period="2019-2"
        )
        == 4
    )
    assert TranscriptRow.objects.filter(kind=FINAL, source=TranscriptRow.Source.SUMMATIVE).count() == 4
