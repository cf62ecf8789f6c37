import pytest
from django.core.management import call_command

from exams import services
from exams.models import ExamProgramme

pytestmark = pytest.mark.django_db


def test_seed_gives_demo_exam_commissions_approved_tickets_once(world):
    world.institution.short_name = "DEMO-U"
    world.institution.save()
    call_command("seed_demo_exams")
    call_command("seed_demo_exams")
    assert ExamProgramme.objects.filter(commission=world.commission).count() == 1
    ticket_set = services.ticket_set_current(world.commission)
    assert ticket_set.tickets.count() == 25
    assert ticket_set.programme.approved_by == world.head
