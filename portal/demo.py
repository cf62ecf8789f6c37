"""Demo data: one university and one college, programmes, groups, 60 students, commissions with a filled schedule."""

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from appeals import services as appeal_services
from attestation.institutions import services as institution_services
from attestation.institutions.models import (
    Department,
    DepartmentHead,
    Discipline,
    Faculty,
    Group,
    Institution,
    InstitutionAdmin,
    Programme,
    Registrar,
    Staff,
    Student,
)
from attestation.institutions.validators import iin_with_check_digit
from attestation.workcal.calendar import nth_working_day_after
from commissions import services as commission_services
from commissions.models import Commission, Membership, Sitting
from portal.demo_names import person
from proctoring import services as proctoring_services
from proctoring.models import MemberIdentification

User = get_user_model()
PASSWORD = "demo-attest-2026"  # noqa: S105 - demo logins, printed for the newcomer
DEMO_LOGINS = {
    "institution administrator (superuser)": "admin",
    "registrar": "registrar",
    "head of department": "head",
    "commission chair": "chair",
    "commission member": "member",
    "technical secretary": "secretary",
    "student (graded, can appeal)": "student",
    "student (not yet examined)": "student17",
    "college head": "college-head",
    "college commission chair": "college-chair",
    "college technical secretary": "college-secretary",
    "appeal commission chair": "appeal-chair",
}


def _user(username, first, last, patronymic="", email=None, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        patronymic=patronymic,
        email=email or f"{username}@demo.attestation.kz",
        is_staff=superuser,
        is_superuser=superuser,
    )
    return user


def _iin(i: int, female: bool) -> str:
    born = dt.date(2002, 1, 1) + dt.timedelta(days=37 * i)
    century_sex = "6" if female else "5"
    for serial in range(i * 7, i * 7 + 50):
        iin = iin_with_check_digit(f"{born:%y%m%d}{century_sex}{serial % 10000:04d}")
        if iin:
            return iin
    raise RuntimeError("no IIN")


def _students(institution, groups, start, count):
    made = []
    for n in range(count):
        i = start + n
        p = person(i)
        group = groups[n % len(groups)]
        user = User.objects.create_user(
            username=f"student{i + 1}" if i else "student",
            password=PASSWORD,
            first_name=p["first_name_kk"],
            last_name=p["last_name_kk"],
            patronymic=p["patronymic_kk"],
            email=f"student{i + 1}@demo.attestation.kz",
            preferred_language=group.study_language,
        )
        made.append(
            Student.objects.create(
                user=user,
                institution=institution,
                group=group,
                iin=_iin(i, p["female"]),
                record_number=f"S{2022000 + i}",
                study_language=group.study_language,
                email=user.email,
                **{k: v for k, v in p.items() if k != "female"},
            )
        )
    return made


def _university(actor, year):
    uni = institution_services.institution_create(
        actor=actor,
        kind=Institution.Kind.HEI,
        short_name="DEMO-U",
        name_kk="Демо университеті",
        name_ru="Демонстрационный университет",
        name_en="Demo University",
        academic_year=year,
    )
    faculty = Faculty.objects.create(
        institution=uni,
        name_kk="Ақпараттық технологиялар факультеті",
        name_ru="Факультет информационных технологий",
        name_en="Faculty of IT",
    )
    dept = Department.objects.create(
        institution=uni,
        faculty=faculty,
        name_kk="Ақпараттық жүйелер кафедрасы",
        name_ru="Кафедра информационных систем",
        name_en="Department of Information Systems",
    )
    bachelor = Programme.objects.create(
        department=dept,
        code="6B06101",
        level=Programme.Level.BACHELOR,
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information Systems",
    )
    master = Programme.objects.create(
        department=dept,
        code="7M06101",
        level=Programme.Level.MASTER,
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        name_en="Information Systems",
    )
    groups = [
        Group.objects.create(programme=bachelor, name="ИС-22-1", study_language="kk"),
        Group.objects.create(programme=bachelor, name="ИС-22-2", study_language="ru"),
    ]
    master_group = Group.objects.create(programme=master, name="МИС-24-1", study_language="kk")
    for code, kk, ru, cat in [
        ("INF101", "Информатика", "Информатика", "general"),
        ("DB201", "Деректер қоры", "Базы данных", "basic"),
        ("IS301", "Ақпараттық жүйелерді жобалау", "Проектирование ИС", "profiling"),
    ]:
        Discipline.objects.create(institution=uni, code=code, name_kk=kk, name_ru=ru, category=cat)
    return uni, dept, bachelor, groups, master, master_group


def _college(actor, year):
    college = institution_services.institution_create(
        actor=actor,
        kind=Institution.Kind.TVET,
        short_name="DEMO-C",
        name_kk="Демо жоғары колледжі",
        name_ru="Демонстрационный высший колледж",
        name_en="Demo Higher College",
        academic_year=year,
    )
    dept = Department.objects.create(
        institution=college,
        name_kk="Бағдарламалау бөлімі",
        name_ru="Отделение программирования",
        name_en="Programming Division",
    )
    programme = Programme.objects.create(
        department=dept,
        code="06130100",
        level=Programme.Level.COLLEGE,
        name_kk="Бағдарламалық қамтамасыз ету",
        name_ru="Программное обеспечение",
        name_en="Software",
    )
    group = Group.objects.create(programme=programme, name="БҚ-23-1", study_language="kk")
    return college, dept, programme, group


def _commission(actor, institution, programmes, form, name_kk, name_ru, name_en, year, today, staff):
    order_date = today - dt.timedelta(days=45)
    start = nth_working_day_after(today, 1, institution.pk)
    commission = commission_services.commission_create(
        actor=actor,
        institution=institution,
        programmes=programmes,
        academic_year=year,
        form=form,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        order_number=f"{order_date:%m}-{len(name_en)}/Б",
        order_date=order_date,
        period_start=start,
        period_end=start + dt.timedelta(days=30),
    )
    for user, role, position in staff:
        commission_services.membership_add(actor=actor, commission=commission, user=user, role=role, position=position)
    return commission


def demo_id_card(student: Student) -> SimpleUploadedFile:
    """A made-up ID card for the demo's students (their ID copies, R19)."""
    image = Image.new("RGB", (640, 400), (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(40, 70, 120), width=4)
    draw.text((40, 40), f"ID {student.iin}", fill=(20, 20, 20))
    draw.text((40, 80), student.last_name_ru + " " + student.first_name_ru, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("id.png", out.getvalue())


def demo_ready_for_identification(sitting: Sitting) -> None:
    """R19's order in the demo: the department head has identified the sitting's chair and members, and each
    student placed in it has uploaded an ID copy — so the secretary can identify, check the room and admit."""
    head = (
        User.objects.filter(department_headships__department__institution=sitting.commission.institution)
        .order_by("pk")
        .first()
    )
    done = set(MemberIdentification.objects.filter(sitting=sitting).values_list("membership_id", flat=True))
    for membership in sitting.commission.memberships.exclude(role=Membership.Role.SECRETARY).exclude(pk__in=done):
        proctoring_services.member_identify(sitting=sitting, membership=membership, actor=head)
    for slot in sitting.slots.select_related("student__user"):
        student = slot.student
        if not student.id_copies.exists():
            proctoring_services.id_copy_upload(student=student, upload=demo_id_card(student), actor=student.user or head)


def _schedule(actor, commission, students, first_day, url, per_sitting):
    day = first_day
    for chunk in range(0, len(students), per_sitting):
        sitting = commission_services.sitting_create(
            actor=actor, commission=commission, date=day, starts_at=dt.time(9, 0), ends_at=dt.time(13, 0), meeting_url=url
        )
        commission_services.schedule_fill(actor=actor, sitting=sitting, students=students[chunk : chunk + per_sitting])
        demo_ready_for_identification(sitting)
        day = nth_working_day_after(day, 1, commission.institution_id)


@transaction.atomic
def demo_create() -> dict[str, str]:
    """Creates the demo world once; returns the logins by role."""
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    admin = _user("admin", "Жанна", "Әбенова", "Серікқызы", superuser=True)
    uni, dept, bachelor, groups, master, master_group = _university(admin, year)
    college, c_dept, c_programme, c_group = _college(admin, year)
    InstitutionAdmin.objects.create(institution=uni, user=admin)
    InstitutionAdmin.objects.create(institution=college, user=admin)
    registrar = _user("registrar", "Гүлмира", "Сыздықова", "Маратқызы")
    Registrar.objects.create(institution=uni, user=registrar)
    head = _user("head", "Бақыт", "Омаров", "Қайратұлы")
    DepartmentHead.objects.create(department=dept, user=head)
    chair = _user("chair", "Ерлан", "Тоқтаров", "Болатұлы")
    member = _user("member", "Айнұр", "Қалиева", "Серікқызы")
    member2 = _user("member2", "Дархан", "Ұзақов", "Нұрланұлы")
    secretary = _user("secretary", "Мәдина", "Жақыпова", "Ерланқызы")
    c_head = _user("college-head", "Сәуле", "Есенова", "Ғаниқызы")
    DepartmentHead.objects.create(department=c_dept, user=c_head)
    c_secretary = _user("college-secretary", "Арман", "Ілиясов", "Маратұлы")
    # The college commission is formed (chair, members, secretary): without them no sitting opens (issue 23).
    c_chair = _user("college-chair", "Жанар", "Мұқанова", "Бекқызы")
    c_member = _user("college-member", "Ғалым", "Сейітов", "Асқарұлы")
    c_member2 = _user("college-member2", "Ләззат", "Оспанова", "Нұрқызы")
    for user, position in [
        (head, "кафедра меңгерушісі"),
        (member, "доцент"),
        (member2, "профессор"),
        (secretary, "аға оқытушы"),
        (registrar, "тіркеуші-офис маманы"),
    ]:
        Staff.objects.create(
            user=user, institution=uni, department=dept, position=position, is_administrative=user in (registrar,)
        )
    Staff.objects.create(user=chair, institution=uni, position="төраға", external_organisation="«Kaspi» АҚ")
    students = _students(uni, groups, 0, 34)
    _students(uni, [master_group], 34, 6)
    college_students = _students(college, [c_group], 40, 20)
    uni_staff = [
        (chair, Membership.Role.CHAIR, "«Kaspi» АҚ, IT-директор"),
        (member, Membership.Role.MEMBER, "доцент"),
        (member2, Membership.Role.MEMBER, "профессор"),
        (secretary, Membership.Role.SECRETARY, "аға оқытушы"),
    ]
    complex_exam = _commission(
        admin,
        uni,
        [bachelor],
        "complex_exam",
        "6B06101 кешенді емтихан бойынша аттестаттау комиссиясы",
        "Аттестационная комиссия по комплексному экзамену 6B06101",
        "Complex exam commission, 6B06101",
        year,
        today,
        uni_staff,
    )
    defense = _commission(
        admin,
        uni,
        [master],
        "defense",
        "7M06101 магистрлік диссертация қорғау комиссиясы",
        "Комиссия по защите магистерских диссертаций 7M06101",
        "Master's defense commission, 7M06101",
        year,
        today,
        uni_staff,
    )
    c_commission = _commission(
        admin,
        college,
        [c_programme],
        "complex_exam",
        "06130100 қорытынды аттестаттау комиссиясы",
        "Комиссия итоговой аттестации 06130100",
        "Final attestation commission, 06130100",
        year,
        today,
        [
            (c_chair, Membership.Role.CHAIR, "«Kcell» АҚ, бағдарламалау бөлімінің басшысы"),
            (c_member, Membership.Role.MEMBER, "оқытушы"),
            (c_member2, Membership.Role.MEMBER, "оқытушы"),
            (c_secretary, Membership.Role.SECRETARY, "оқытушы"),
        ],
    )
    appeal_people = [
        _user("appeal-chair", "Нұрлан", "Бекетов", "Ғаниұлы"),
        _user("appeal-member", "Шолпан", "Әуезова", "Маратқызы"),
        _user("appeal-member2", "Талғат", "Құрманов", "Серікұлы"),
    ]
    appeal_services.appeal_commission_create(
        actor=admin,
        institution=uni,
        academic_year=year,
        name_kk="Апелляциялық комиссия",
        name_ru="Апелляционная комиссия",
        name_en="Appeal commission",
        order_number="112-А",
        order_date=today - dt.timedelta(days=30),
        commissions=[complex_exam, defense],
        members=list(zip(appeal_people, ["chair", "member", "member"], strict=True)),
    )
    first = nth_working_day_after(today, 1, uni.pk)
    _schedule(admin, complex_exam, students, first, "https://zoom.us/j/4100000001", 16)
    _schedule(admin, c_commission, college_students, first, "https://meet.webex.com/demo", 16)
    return DEMO_LOGINS


DEFENSE_URL = "https://teams.microsoft.com/l/meetup-join/demo"


@transaction.atomic
def demo_schedule_defenses() -> int:
    """After the admission layer: every admitted master's student gets a defense slot; the others are refused with
    the reason the admission table shows (R16)."""
    defense = Commission.objects.filter(institution__short_name="DEMO-U", form="defense").first()
    if defense is None or defense.sittings.exists():
        return 0
    admin = User.objects.get(username="admin")
    day = nth_working_day_after(timezone.localdate(), 1, defense.institution_id)
    sitting = commission_services.sitting_create(
        actor=admin, commission=defense, date=day, starts_at=dt.time(9, 0), ends_at=dt.time(13, 0), meeting_url=DEFENSE_URL
    )
    placed = 0
    for student in Student.objects.filter(group__programme__commissions=defense).order_by("pk"):
        try:
            commission_services.slot_create(actor=admin, sitting=sitting, student=student)
            placed += 1
        except ValidationError:
            continue
    demo_ready_for_identification(sitting)
    return placed
