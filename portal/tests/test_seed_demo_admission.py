import pytest
from django.core.management import call_command

from commissions.models import Commission
from exams.admission.models import AdmissionDecision, Thesis
from exams.admission.selectors import admission_table
from exams.admission.services import admission_refusal
from portal.demo import demo_create

pytestmark = pytest.mark.django_db


def test_seed_demo_admission_admits_most_and_blocks_one_with_a_reason(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_create()
    call_command("seed_demo_admission")
    call_command("seed_demo_admission")
    assert Thesis.objects.count() == 6
    assert AdmissionDecision.objects.filter(outcome="admitted").count() == 4
    rows = admission_table(programme=Thesis.objects.first().student.group.programme)
    blocked = [r for r in rows if any(c.key == "supervisor_review" and not c.ok for c in r.conditions)]
    assert len(blocked) == 1
    defense = Commission.objects.get(form="defense")
    assert admission_refusal(student=blocked[0].student, commission=defense)
