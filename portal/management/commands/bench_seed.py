"""A university-sized data set for the load benchmark.

Every row a page could also write goes through the service the pages use, with its checks (the structure, the
policy, the commissions and their members, the sittings and their slots): the data set is one the portal could have
made. Bulk inserts remain where no service makes the rows or where the rules forbid the bench's shape:
- the accounts and students (the student import, attestation/institutions/student_import.py, makes the IIN the login;
  the bench signs in as bench-s<i>, bench-w<i>);
- the announced results: the service path is the whole sitting per student (attendance, nine members' grades, the
  vote, the decision, the announcement), not a row's write;
- the live day's sittings, slots and attempts: a thousand students waiting in one sitting open all day, whatever
  day the bench runs, is what the bench measures and what R11 (at most 5 hours a day), the policy's minutes per
  student and the working-day calendar refuse.

Besides the announced results, a live day: an exam sitting today whose students wait to be admitted (they poll
their exam page), and a defense commission of 9 voting members whose students the vote benchmark votes on.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from attestation.core.deadlines import deadlines_sweep
from attestation.grading.scale import Scale
from attestation.institutions import services as institution_services
from attestation.institutions.models import Department, Group, Institution, Programme, Student
from attestation.institutions.validators import iin_with_check_digit
from attestation.workcal.calendar import is_working_day, nth_working_day_after
from commissions import services as commission_services
from commissions.models import Commission, Result, Sitting, Slot
from exams.models import Attempt
from portal.demo_names import person

User = get_user_model()
PASSWORD = "bench-pass-2026"  # noqa: S105 - synthetic benchmark users
LIVE_EXAM, LIVE_DEFENSE = "Live exam (bench)", "Live defense (bench)"
ROLES = ["chair"] + ["member"] * 8 + ["secretary"]
SLOT_MINUTES = 5  # the policy's minutes per student (its lower bound): 60 students in a sitting of 5 hours
SITTING_HOURS = (dt.time(9), dt.time(14))  # R11: at most 5 hours a day


class Command(BaseCommand):
    help = "Creates BENCH-U with N students, M commissions of 9 voting members, sittings, slots and announced results."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=5000)
        parser.add_argument("--commissions", type=int, default=100)
        parser.add_argument("--waiting", type=int, default=1000, help="students waiting for admission today")

    @transaction.atomic
    def handle(self, *args, students: int, commissions: int, waiting: int, **options):
        uni = Institution.objects.filter(short_name="BENCH-U").first()
        if uni is None:
            uni = self._university(students, commissions)
        else:
            self.stdout.write("BENCH-U exists already.")
        if not Commission.objects.filter(institution=uni, name_ru=LIVE_EXAM).exists():
            self._live_day(uni, waiting)
        # The slots' reminders (R12) due before today are handled now, as a running beat would have (skipped: their
        # sitting is past): no bench starts with thousands of deadlines due.
        deadlines_sweep()

    def _university(self, students: int, commissions: int) -> Institution:
        rng = random.Random(2026)  # noqa: S311 - reproducible synthetic data
        year = timezone.localdate().year - 1
        uni = institution_services.institution_create(
            actor=None,
            kind=Institution.Kind.HEI,
            short_name="BENCH-U",
            name_kk="Бенчмарк университеті",
            name_ru="Университет для нагрузки",
            academic_year=year,
        )
        institution_services.policy_update(
            actor=None,
            policy=uni.policies.get(),
            changes={"public_results": "number_grade", "slot_minutes": SLOT_MINUTES},
        )
        save = institution_services.structure_save
        dept = save(actor=None, instance=Department(institution=uni, name_kk="Кафедра", name_ru="Кафедра"))
        password = make_password(PASSWORD)
        programmes, groups = [], []
        for c in range(commissions):
            programme = save(
                actor=None,
                instance=Programme(
                    department=dept, code=f"6B{c:05d}", level="bachelor", name_kk=f"Бағдарлама {c}", name_ru=f"Программа {c}"
                ),
            )
            programmes.append(programme)
            groups.append(save(actor=None, instance=Group(programme=programme, name=f"Г-{c}", study_language="kk")))
        users = User.objects.bulk_create(
            [User(username=f"bench-s{i}", password=password) for i in range(students)], batch_size=2000
        )
        people = [person(i) for i in range(students)]
        student_rows = Student.objects.bulk_create(
            [
                Student(
                    user=users[i],
                    institution=uni,
                    group=groups[i % commissions],
                    study_language="kk",
                    iin=iin_with_check_digit(f"0{i:010d}") or iin_with_check_digit(f"1{i:010d}"),
                    record_number=f"B{i:06d}",
                    **{k: v for k, v in people[i].items() if k != "female"},
                )
                for i in range(students)
            ],
            batch_size=2000,
        )
        members = User.objects.bulk_create(
            [User(username=f"bench-m{c}-{k}", password=password) for c in range(commissions) for k in range(len(ROLES))],
            batch_size=2000,
        )
        scale = Scale.for_institution(uni.pk)
        day = dt.date(year + 1, 6, 1)
        if not is_working_day(day, uni.pk):
            day = nth_working_day_after(day, 1, uni.pk)
        announced = timezone.now() - dt.timedelta(hours=1)
        for c, programme in enumerate(programmes):
            commission = commission_services.commission_create(
                actor=None,
                institution=uni,
                programmes=[programme],
                academic_year=year,
                form="complex_exam",
                name_kk=f"Комиссия {c}",
                name_ru=f"Комиссия {c}",
                order_number=str(c),
                order_date=day - dt.timedelta(days=60),
                period_start=day,
                period_end=day + dt.timedelta(days=20),
            )
            for k, role in enumerate(ROLES):
                commission_services.membership_add(actor=None, commission=commission, user=members[c * 10 + k], role=role)
            slots = self._schedule(commission, day, student_rows[c::commissions])
            results = []
            for slot in slots:
                grade = scale.from_points(rng.randint(40, 100))
                results.append(
                    Result(
                        slot=slot,
                        points=grade.points,
                        letter=grade.letter,
                        gpa=grade.gpa,
                        traditional=grade.traditional,
                        source="commission",
                        decided_at=announced,
                        announced_at=announced,
                    )
                )
            Result.objects.bulk_create(results)
        self.stdout.write(f"BENCH-U: {students} students, {commissions} commissions, results announced.")
        return uni

    def _live_day(self, uni: Institution, waiting: int) -> None:
        """Today: `waiting` identified students polling for admission; a defense commission of 9 voters."""
        group = Group.objects.filter(programme__department__institution=uni).order_by("pk").first()
        password = make_password(PASSWORD)
        users = User.objects.bulk_create(
            [User(username=f"bench-w{i}", password=password) for i in range(waiting)], batch_size=2000
        )
        people = [person(100_000 + i) for i in range(waiting)]
        students = Student.objects.bulk_create(
            [
                Student(
                    user=users[i],
                    institution=uni,
                    group=group,
                    study_language="kk",
                    iin=iin_with_check_digit(f"2{i:010d}") or iin_with_check_digit(f"3{i:010d}"),
                    record_number=f"W{i:06d}",
                    **{k: v for k, v in people[i].items() if k != "female"},
                )
                for i in range(waiting)
            ],
            batch_size=2000,
        )
        exam = self._live_sitting(uni, group, LIVE_EXAM, Commission.Form.COMPLEX_EXAM, "live")
        slots = self._slots(exam, students)
        Attempt.objects.bulk_create(
            [Attempt(slot=s, kind=Attempt.Kind.ORAL, state=Attempt.State.IDENTIFIED) for s in slots], batch_size=2000
        )
        self._slots(self._live_sitting(uni, group, LIVE_DEFENSE, Commission.Form.DEFENSE, "v"), students[:200])
        self.stdout.write(f"BENCH-U live day: {waiting} students waiting for admission; a defense of 9 voters.")

    @staticmethod
    def _live_sitting(uni: Institution, group: Group, name: str, form: str, prefix: str) -> Sitting:
        today = timezone.localdate()
        policy = uni.policies.order_by("-academic_year").first()
        commission = commission_services.commission_create(
            actor=None,
            institution=uni,
            programmes=[group.programme],
            academic_year=policy.academic_year,
            form=form,
            name_kk=name,
            name_ru=name,
            order_number=prefix,
            order_date=today - dt.timedelta(days=60),
            period_start=today,
            period_end=today + dt.timedelta(days=20),
        )
        password = make_password(PASSWORD)
        members = User.objects.bulk_create(
            [User(username=f"bench-{prefix}m{k}", password=password) for k in range(len(ROLES))]
        )
        for user, role in zip(members, ROLES, strict=True):
            commission_services.membership_add(actor=None, commission=commission, user=user, role=role)
        # Not sitting_create: open all day, whatever day it is (the module's docstring)
        return Sitting.objects.create(commission=commission, date=today, starts_at=dt.time(0, 5), ends_at=dt.time(23, 55))

    @staticmethod
    def _schedule(commission: Commission, first_day: dt.date, students: list[Student]) -> list[Slot]:
        """The students one after another, as many sittings (one a working day) as they need, through the services
        the secretary's pages use (sitting_create, schedule_fill)."""
        starts_at, ends_at = SITTING_HOURS
        per_sitting = (ends_at.hour - starts_at.hour) * 60 // SLOT_MINUTES
        slots, day = [], first_day
        for chunk in range(0, len(students), per_sitting):
            sitting = commission_services.sitting_create(
                actor=None, commission=commission, date=day, starts_at=starts_at, ends_at=ends_at
            )
            slots += commission_services.schedule_fill(
                actor=None, sitting=sitting, students=students[chunk : chunk + per_sitting]
            )
            day = nth_working_day_after(day, 1, commission.institution_id)
        return slots

    @staticmethod
    def _slots(sitting: Sitting, students: list[Student]) -> list[Slot]:
        """The live day's slots, a minute each (not schedule_fill: the module's docstring)."""
        start = dt.datetime.combine(
            sitting.date, sitting.starts_at, tzinfo=ZoneInfo(sitting.commission.institution.time_zone)
        )
        return Slot.objects.bulk_create(
            [
                Slot(sitting=sitting, student=s, duration_minutes=1, starts_at=start + dt.timedelta(minutes=k))
                for k, s in enumerate(students)
            ],
            batch_size=2000,
        )
