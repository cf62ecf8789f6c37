import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.institutions.models import Discipline, InstitutionAdmin, Policy
from attestation.tests.factories import UserFactory
from attestation.tests.security.hostile import PDF as REAL_PDF
from commissions import services as commission_services
from commissions.models import Result, Slot
from exams.applications.models import TranscriptRow

ALMATY = ZoneInfo("Asia/Almaty")
DURING = dt.datetime(2020, 5, 12, 10, 0, tzinfo=ALMATY)  # the first sitting's day


def pdf(name: str = "spravka.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, REAL_PDF, content_type="application/pdf")


@pytest.fixture
def slot(world) -> Slot:
    return Slot.objects.get(sitting=world.sitting, student=world.student)


@pytest.fixture
def policy(world) -> Policy:
    return Policy.objects.get(institution=world.institution, academic_year=2019)


@pytest.fixture
def later_sitting(world):
    return commission_services.sitting_create(
        actor=world.chair,
        commission=world.commission,
        date=dt.date(2020, 5, 20),
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
        meeting_url="https://zoom.us/j/2",
    )


@pytest.fixture
def disciplines(world) -> dict[str, Discipline]:
    def make(code, category):
        return Discipline.objects.create(
            institution=world.institution, code=code, name_kk=code, name_ru=code, category=category
        )

    return {
        "general": make("HIST1101", "general"),
        "basic": make("DB2201", "basic"),
        "profiling": make("ML3301", "profiling"),
        "basic2": make("OS2202", "basic"),
    }


@pytest.fixture
def inst_admin(world):
    admin = UserFactory(username="inst-admin")
    InstitutionAdmin.objects.create(institution=world.institution, user=admin)
    return admin


def score(student, discipline, kind, points, period="2019-2") -> TranscriptRow:
    return TranscriptRow.objects.create(
        student=student, discipline=discipline, period=period, kind=kind, points=Decimal(points)
    )


def incomplete(slot: Slot) -> Result:
    return Result.objects.create(
        slot=slot,
        letter="I",
        traditional="incomplete",
        source=Result.Source.INCOMPLETE,
        decided_at=DURING,
        announced_at=DURING,
    )
