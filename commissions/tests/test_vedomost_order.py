import datetime as dt
import uuid

import pytest

from attestation.tests.factories import StudentFactory
from commissions import services
from commissions.papers.context import vedomost_context

pytestmark = pytest.mark.django_db


def test_the_grade_sheet_lists_students_in_the_kazakh_alphabet(world):
    sitting = services.sitting_create(
        actor=world.secretary,
        commission=world.commission,
        date=dt.date(2020, 5, 13),
        starts_at=dt.time(9),
        ends_at=dt.time(12),
    )
    names = ["Ясин", "Ілияс", "Үсен", "Әлібек", "Асқар", "Қайрат", "Кенже"]  # scheduled in this (time) order
    services.schedule_fill(
        actor=world.secretary, sitting=sitting, students=[StudentFactory(group=world.group, last_name_kk=n) for n in names]
    )
    rows = vedomost_context(sitting=sitting, paper_id=uuid.uuid4())["rows"]
    assert [r["student"].last_name_kk for r in rows] == ["Асқар", "Әлібек", "Кенже", "Қайрат", "Үсен", "Ілияс", "Ясин"]
