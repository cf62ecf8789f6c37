"""Demo data: one university and one college, programmes, groups, 63 students (three in the college's ballet
programme), commissions with a filled schedule.

The demo tells only what could be true (`DemoDays`): the first sittings were held on the last working day before
today (the results layer grades and announces them at the moments they happened), the others come from the next
working day on; the commissions, their people and schedule were set up weeks before the first sitting, the members
of a held sitting identified on its morning. Every past step runs with the clock at its own moment (`demo_clock`), so the
rows, the audit trail, the e-mails and the documents all carry when it happened.
"""

import datetime as dt
import functools
import io
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

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
from attestation.workcal.calendar import nth_working_day_after, nth_working_day_before
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


# The one student of the first sittings who did not come: the results layer records them absent, the applications
# layer files their missed-attestation application afterwards.
DEMO_ABSENT = "student4"

# The demo's institutions keep the national calendar (no days of their own) and the default time zone.
DEMO_ZONE = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True)
class DemoDays:
    """The demo's calendar around `today`: the first sittings on `first` (the last working day before today: held,
    graded, announced; or a later day for a story that holds them itself), the next ones on the working days after
    today; the commissions ordered on `ordered`, 45 days before the first sitting, and the world set up a week after
    the order (`prepared`)."""

    today: dt.date
    first: dt.date

    @property
    def ordered(self) -> dt.date:
        return self.first - dt.timedelta(days=45)

    @property
    def prepared(self) -> dt.datetime:
        return dt.datetime.combine(nth_working_day_after(self.ordered, 5), dt.time(10, 0), tzinfo=DEMO_ZONE)


def demo_days(today: dt.date | None = None, first: dt.date | None = None) -> DemoDays:
    today = today or timezone.localdate(timezone=DEMO_ZONE)
    return DemoDays(today=today, first=first or nth_working_day_before(today, 1))


@contextmanager
def demo_clock(moment: dt.datetime) -> Iterator[None]:
    """What is done inside happens at `moment` (the clock ticks on from it): a past step of the demo's story."""
    with time_machine.travel(moment, tick=True):
        yield


def _clock_if_past(moment: dt.datetime):
    return demo_clock(moment) if moment < timezone.now() else nullcontext()


def demo_password_hash() -> str:
    """PASSWORD as the password hashers in force store it, hashed once: every demo login shares the one published
    password, and hashing it again for each of the ~80 logins (argon2, ~0.2 s each) was half of seed_demo's time."""
    return _hashed(PASSWORD, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hashed(password: str, hashers: tuple[str, ...]) -> str:
    return make_password(password)


def _demo_user(**fields):
    """A demo login with PASSWORD (`demo_password_hash`), made as `create_user` makes users."""
    user = User.objects.create_user(password=None, **fields)
    user.password = demo_password_hash()
    user.save(update_fields=["password"])
    return user


def _user(username, first, last, patronymic="", email=None, superuser=False):
    user = _demo_user(
        username=username,
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
        user = _demo_user(
            username=f"student{i + 1}" if i else "student",
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


def _college_ballet(college):
    """The college's arts and culture division (R46): ballet dancers are graded from the half-year average, the
    creative characteristic, a stage-performance recording and the employer reviews."""
    dept = Department.objects.create(
        institution=college,
        name_kk="Хореография бөлімі",
        name_ru="Отделение хореографии",
        name_en="Choreography Division",
    )
    programme = Programme.objects.create(
        department=dept,
        code="0408013",
        level=Programme.Level.COLLEGE,
        name_kk="Балет әртісі",
        name_ru="Артист балета",
        name_en="Ballet dancer",
        arts_and_culture=True,
    )
    group = Group.objects.create(programme=programme, name="Б-20-1", study_language="kk")
    return dept, group


def _commission(actor, institution, programmes, form, name_kk, name_ru, name_en, year, days, staff):
    order_date, start = days.ordered, days.first
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
    """A made-up ID card for the demo's students (their ID copies, R19), lettered in the portal's own font: Pillow's
    default one has no Cyrillic or Kazakh letters, and the secretary comparing the card with the student would read
    empty boxes."""
    font = settings.BASE_DIR / "static" / "fonts" / "DejaVuSans.ttf"
    large, small = ImageFont.truetype(str(font), 30), ImageFont.truetype(str(font), 22)
    image = Image.new("RGB", (640, 400), (225, 235, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(40, 70, 120), width=4)
    draw.text((40, 40), "ЖЕКЕ КУӘЛІК · УДОСТОВЕРЕНИЕ ЛИЧНОСТИ", font=small, fill=(40, 70, 120))
    draw.text((40, 100), f"{student.last_name_kk} {student.first_name_kk}", font=large, fill=(20, 20, 20))
    draw.text((40, 150), f"{student.last_name_ru} {student.first_name_ru}", font=large, fill=(20, 20, 20))
    draw.text((40, 320), f"ЖСН / ИИН {student.iin}", font=small, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("id.png", out.getvalue())


def demo_ready_for_identification(sitting: Sitting) -> None:
    """R19's order in the demo: the department head has identified the sitting's chair and members, and each
    student placed in it has uploaded an ID copy — so the secretary can identify, check the room and admit. For a
    sitting already held, on its morning, half an hour before it began."""
    starts, _ends = sitting.bounds(sitting.commission.institution.time_zone)
    with _clock_if_past(starts - dt.timedelta(minutes=30)):
        _ready_for_identification(sitting)


def _ready_for_identification(sitting: Sitting) -> None:
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


def _schedule(actor, commission, students, days, url, per_sitting) -> list[Sitting]:
    """The first sitting on the first day, the next ones on the working days after it and after today."""
    made, day = [], days.first
    for chunk in range(0, len(students), per_sitting):
        sitting = commission_services.sitting_create(
            actor=actor, commission=commission, date=day, starts_at=dt.time(9, 0), ends_at=dt.time(13, 0), meeting_url=url
        )
        commission_services.schedule_fill(actor=actor, sitting=sitting, students=students[chunk : chunk + per_sitting])
        made.append(sitting)
        day = nth_working_day_after(max(day, days.today), 1, commission.institution_id)
    return made


@transaction.atomic
def demo_create(first: dt.date | None = None) -> dict[str, str]:
    """Creates the demo world once; returns the logins by role. The first sittings are on the last working day
    before today (held: the results layer grades them), or on `first` (a story that holds them itself); the world
    is set up at `DemoDays.prepared`, weeks before; a held sitting's members were identified on its morning, the
    others' are now."""
    days = demo_days(first=first)
    with _clock_if_past(days.prepared):
        sittings = _world(days)
    for sitting in sittings:
        demo_ready_for_identification(sitting)
    return DEMO_LOGINS


def _world(days: DemoDays) -> list[Sitting]:
    today = days.today
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
    ballet_dept, ballet_group = _college_ballet(college)
    DepartmentHead.objects.create(department=ballet_dept, user=c_head)
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
    _students(college, [ballet_group], 60, 3)
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
        days,
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
        days,
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
        days,
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
        order_date=days.ordered,
        commissions=[complex_exam, defense],
        members=list(zip(appeal_people, ["chair", "member", "member"], strict=True)),
    )
    return [
        *_schedule(admin, complex_exam, students, days, "https://zoom.us/j/4100000001", 16),
        *_schedule(admin, c_commission, college_students, days, "https://meet.webex.com/demo", 16),
    ]


DEFENSE_URL = "https://teams.microsoft.com/l/meetup-join/demo"


def demo_schedule_held_defenses() -> int:
    """The seed's defenses: on the demo's first day (held: graded with the other first sittings), scheduled when
    the admission was decided, weeks before."""
    days = demo_days()
    with _clock_if_past(days.prepared + dt.timedelta(hours=4)):
        return demo_schedule_defenses(days.first)


@transaction.atomic
def demo_schedule_defenses(day: dt.date | None = None) -> int:
    """After the admission layer: every admitted master's student gets a defense slot on `day` (the next working
    day unless given); the others are refused with the reason the admission table shows (R16)."""
    defense = Commission.objects.filter(institution__short_name="DEMO-U", form="defense").first()
    if defense is None or defense.sittings.exists():
        return 0
    admin = User.objects.get(username="admin")
    day = day or nth_working_day_after(timezone.localdate(), 1, defense.institution_id)
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
