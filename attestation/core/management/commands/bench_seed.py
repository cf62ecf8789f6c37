"""A university-sized data set for the load benchmark: bulk inserts, no per-row services (it is synthetic data)."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from attestation.core.demo_names import person
from attestation.grading.scale import Scale
from attestation.institutions import services as institution_services
from attestation.institutions.models import Department, Group, Institution, Programme, Student
from attestation.institutions.validators import iin_with_check_digit
from commissions.models import Commission, Membership, Result, Sitting, Slot

User = get_user_model()
PASSWORD = "bench-pass-2026"  # noqa: S105 - synthetic benchmark users


class Command(BaseCommand):
    help = "Creates BENCH-U with N students, M commissions of 9 voting members, sittings, slots and announced results."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=5000)
        parser.add_argument("--commissions", type=int, default=100)

    @transaction.atomic
    def handle(self, *args, students: int, commissions: int, **options):
        if Institution.objects.filter(short_name="BENCH-U").exists():
            self.stdout.write("BENCH-U exists already.")
            return
        rng = random.Random(2026)  # noqa: S311 - reproducible synthetic data
        year = timezone.localdate().year - 1
        uni = institution_services.institution_create(
            actor=None, kind=Institution.Kind.HEI, short_name="BENCH-U", name_kk="Бенчмарк университеті",
            name_ru="Университет для нагрузки", academic_year=year)
        uni.policies.update(public_results="number_grade")
        dept = Department.objects.create(institution=uni, name_kk="Кафедра", name_ru="Кафедра")
        password = make_password(PASSWORD)
        programmes, groups = [], []
        for c in range(commissions):
            programme = Programme.objects.create(department=dept, code=f"6B{c:05d}", level="bachelor",
                                                 name_kk=f"Бағдарлама {c}", name_ru=f"Программа {c}")
            programmes.append(programme)
            groups.append(Group.objects.create(programme=programme, name=f"Г-{c}", study_language="kk"))
        users = User.objects.bulk_create([User(username=f"bench-s{i}", password=password) for i in range(students)],
                                         batch_size=2000)
        people = [person(i) for i in range(students)]
        student_rows = Student.objects.bulk_create([
            Student(user=users[i], institution=uni, group=groups[i % commissions], study_language="kk",
                    iin=iin_with_check_digit(f"0{i:010d}") or iin_with_check_digit(f"1{i:010d}"),
                    record_number=f"B{i:06d}", **{k: v for k, v in people[i].items() if k != "female"})
            for i in range(students)], batch_size=2000)
        members = User.objects.bulk_create(
            [User(username=f"bench-m{c}-{k}", password=password) for c in range(commissions) for k in range(10)],
            batch_size=2000)
        scale = Scale.for_institution(uni.pk)
        zone = ZoneInfo(uni.time_zone)
        day = dt.date(year + 1, 6, 1)
        announced = timezone.now() - dt.timedelta(hours=1)
        for c, programme in enumerate(programmes):
            commission = Commission.objects.create(
                institution=uni, academic_year=year, form="complex_exam", name_kk=f"Комиссия {c}",
                name_ru=f"Комиссия {c}", order_number=str(c), order_date=day - dt.timedelta(days=60),
                period_start=day, period_end=day + dt.timedelta(days=20))
            commission.programmes.add(programme)
            roles = ["chair"] + ["member"] * 8 + ["secretary"]
            Membership.objects.bulk_create([Membership(commission=commission, user=members[c * 10 + k], role=role)
                                            for k, role in enumerate(roles)])
            sitting = Sitting.objects.create(commission=commission, date=day, starts_at=dt.time(9),
                                             ends_at=dt.time(14))
            mine = student_rows[c::commissions]
            start = dt.datetime.combine(day, dt.time(9), tzinfo=zone)
            slots = Slot.objects.bulk_create([Slot(sitting=sitting, student=s, duration_minutes=5,
                                                   starts_at=start + dt.timedelta(minutes=5 * k))
                                              for k, s in enumerate(mine)])
            results = []
            for slot in slots:
                grade = scale.from_points(rng.randint(40, 100))
                results.append(Result(slot=slot, points=grade.points, letter=grade.letter, gpa=grade.gpa,
                                      traditional=grade.traditional, source="commission", decided_at=announced,
                                      announced_at=announced))
            Result.objects.bulk_create(results)
        self.stdout.write(f"BENCH-U: {students} students, {commissions} commissions, results announced.")
