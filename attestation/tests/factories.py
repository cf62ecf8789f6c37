"""Factories and a small world of personas for tests."""

import datetime as dt
import itertools
from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from attestation.institutions import services as institution_services
from attestation.institutions.models import Department, DepartmentHead, Group, Institution, Programme, Student
from attestation.institutions.validators import iin_with_check_digit
from commissions import services as commission_services
from commissions.models import Commission, Membership, Sitting, Slot

User = get_user_model()
_serial = itertools.count(1)


def valid_iin() -> str:
    while True:
        n = next(_serial)
        iin = iin_with_check_digit(f"0101015{n:04d}")
        if iin:
            return iin


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    first_name = "Айгерім"
    last_name = "Әбілова"
    password = factory.django.Password("pw-attest-1")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    user = factory.SubFactory(UserFactory)
    iin = factory.LazyFunction(valid_iin)
    last_name_kk = "Қасымов"
    first_name_kk = "Әлібек"
    last_name_ru = "Касымов"
    first_name_ru = "Алибек"
    study_language = "kk"
    institution = factory.LazyAttribute(lambda s: s.group.programme.department.institution)


@dataclass
class World:
    institution: Institution
    department: Department
    programme: Programme
    group: Group
    commission: Commission
    sitting: Sitting
    student: Student
    other_student: Student
    chair: object
    member: object
    secretary: object
    head: object
    outsider: object

    @classmethod
    def build(cls, *, kind: str = Institution.Kind.HEI) -> "World":
        admin = UserFactory(username="setup-admin")
        institution = institution_services.institution_create(
            actor=admin,
            kind=kind,
            short_name="TEST",
            name_kk="Сынақ университеті",
            name_ru="Тестовый университет",
            academic_year=2019,
        )
        department = Department.objects.create(institution=institution, name_kk="Кафедра", name_ru="Кафедра")
        programme = Programme.objects.create(
            department=department,
            code="6B06101",
            level="bachelor",
            name_kk="Ақпараттық жүйелер",
            name_ru="Информационные системы",
        )
        group = Group.objects.create(programme=programme, name="ИС-19-1", study_language="kk")
        head = UserFactory(username="head")
        DepartmentHead.objects.create(department=department, user=head)
        chair, member, secretary = (
            UserFactory(username="chair"),
            UserFactory(username="member"),
            UserFactory(username="secretary"),
        )
        commission = commission_services.commission_create(
            actor=admin,
            institution=institution,
            programmes=[programme],
            academic_year=2019,
            form="complex_exam",
            name_kk="Комиссия",
            name_ru="Комиссия",
            order_number="12-Б",
            order_date=dt.date(2020, 4, 1),
            period_start=dt.date(2020, 5, 12),
            period_end=dt.date(2020, 6, 30),
        )
        for user, role in [
            (chair, Membership.Role.CHAIR),
            (member, Membership.Role.MEMBER),
            (secretary, Membership.Role.SECRETARY),
        ]:
            commission_services.membership_add(actor=admin, commission=commission, user=user, role=role)
        sitting = commission_services.sitting_create(
            actor=admin,
            commission=commission,
            date=dt.date(2020, 5, 12),
            starts_at=dt.time(9, 0),
            ends_at=dt.time(14, 0),
            meeting_url="https://zoom.us/j/1",
        )
        student, other = StudentFactory(group=group), StudentFactory(group=group, first_name_kk="Әсел")
        commission_services.schedule_fill(actor=admin, sitting=sitting, students=[student, other])
        return cls(
            institution,
            department,
            programme,
            group,
            commission,
            sitting,
            student,
            other,
            chair,
            member,
            secretary,
            head,
            UserFactory(username="outsider"),
        )

    def other_commission(self, *, form: str = "complex_exam") -> Commission:
        """A second commission of the same institution and programme, same year and period, no members yet."""
        return commission_services.commission_create(
            actor=self.head,
            institution=self.institution,
            programmes=[self.programme],
            academic_year=2019,
            form=form,
            name_kk="Басқа комиссия",
            name_ru="Другая комиссия",
            order_number="13-Б",
            order_date=dt.date(2020, 4, 1),
            period_start=dt.date(2020, 5, 12),
            period_end=dt.date(2020, 6, 30),
        )


def examined(sitting) -> None:
    """Every student of the sitting has finished the examination (the secretary's "Finish"): grading opens (R33)."""
    Slot.objects.filter(sitting=sitting, status=Slot.Status.SCHEDULED).update(status=Slot.Status.DONE)
