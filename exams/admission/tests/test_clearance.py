import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from attestation.tests.factories import UserFactory
from exams.admission import services
from exams.admission.models import ClearanceLine, ClearanceOfficer


def test_the_clearance_sheet_is_complete_only_when_every_line_is_cleared(world, head):
    lines = ClearanceLine.Line.values
    for line in lines[:-1]:
        services.clearance_mark(actor=head, student=world.student, line=line, cleared=True)
    assert not services.clearance_complete(world.student)
    services.clearance_mark(actor=head, student=world.student, line=lines[-1], cleared=False, note="қарыз 5000 ₸")
    assert not services.clearance_complete(world.student)
    services.clearance_mark(actor=head, student=world.student, line=lines[-1], cleared=True)
    assert services.clearance_complete(world.student)


def test_a_line_not_cleared_says_why(world, head):
    with pytest.raises(ValidationError):
        services.clearance_mark(actor=head, student=world.student, line="tuition", cleared=False, note="")


def test_the_institution_admin_marks_any_line(world, inst_admin):
    row = services.clearance_mark(actor=inst_admin, student=world.student, line="dormitory", cleared=True)
    assert row.marked_by == inst_admin


def test_an_assigned_office_marks_only_its_own_line(world):
    librarian = UserFactory(username="librarian")
    ClearanceOfficer.objects.create(department=world.department, user=librarian, line="library")
    services.clearance_mark(actor=librarian, student=world.student, line="library", cleared=True)
    with pytest.raises(PermissionDenied):
        services.clearance_mark(actor=librarian, student=world.student, line="tuition", cleared=True)


def test_an_outsider_cannot_mark_clearance(world, outsider):
    with pytest.raises(PermissionDenied):
        services.clearance_mark(actor=outsider, student=world.student, line="library", cleared=True)
