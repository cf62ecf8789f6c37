"""The benchmarks' data set (portal/management/commands/bench_seed.py) is written through the services the pages use."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from attestation.core.models import AuditEvent, Deadline
from commissions.models import Commission, Membership, Result, Sitting, Slot
from commissions.services import SLOT_REMINDER
from exams.models import Attempt

pytestmark = pytest.mark.django_db


def test_the_bench_seed_schedules_its_sittings_through_the_services_and_leaves_no_deadline_due():
    call_command("bench_seed", students=130, commissions=2, waiting=5)
    bench = Commission.objects.filter(institution__short_name="BENCH-U")
    exams = bench.filter(form="complex_exam").exclude(name_ru__contains="(bench)")
    assert exams.count() == 2
    sittings = Sitting.objects.filter(commission__in=exams)
    assert sittings.count() == 4  # 65 students a commission: 60 fit in a sitting of 5 hours, 5 sit the next day
    assert AuditEvent.objects.filter(verb="sitting.create").count() == 4
    assert AuditEvent.objects.filter(verb="slot.create").count() == 130
    assert AuditEvent.objects.filter(verb="membership.add").count() == 4 * 10  # two exams and the live day's two
    assert Membership.objects.filter(commission__in=bench).count() == 40
    assert Deadline.objects.filter(kind=SLOT_REMINDER).count() == 130
    assert not Deadline.objects.filter(state=Deadline.State.PENDING, due_at__lte=timezone.now()).exists()
    assert Result.objects.filter(slot__sitting__in=sittings).count() == 130
    assert Attempt.objects.filter(state=Attempt.State.IDENTIFIED).count() == 5
    assert Slot.objects.filter(sitting__commission__in=bench).count() == 130 + 5 + 5


def test_the_bench_seed_leaves_an_existing_data_set_alone():
    call_command("bench_seed", students=10, commissions=1, waiting=2)
    call_command("bench_seed", students=10, commissions=1, waiting=2)
    assert Commission.objects.filter(institution__short_name="BENCH-U").count() == 3
