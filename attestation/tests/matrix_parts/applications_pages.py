"""The applications pages (exams.applications): the institution's list-wide summative replacement (R44, its
administration), arts and culture results (R46, the department) and "I" due dates (R43, the chair or department)."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from attestation.institutions.models import Discipline
from attestation.tests.factories import StudentFactory
from attestation.tests.matrix_base import Entry
from commissions.models import Result, Slot
from exams.applications import summative
from exams.applications.models import ArtsResult, TranscriptRow

CHAIR_OR_DEPARTMENT = frozenset({"chair", "head"})  # exams.applications.permissions.can_set_due_date
INSTITUTION = frozenset({"inst_admin"})  # ...permissions.can_make_summative_decision
DEPARTMENT = frozenset({"head"})  # ...permissions.can_set_arts_result
DEPARTMENT_READERS = frozenset({"head", "inst_admin", "registrar"})  # institutions.permissions.can_view_department


def build(objects: dict) -> None:
    """A third student of the sitting with an "I" result (nobody's persona), and a list-wide decision with its PDF."""
    w = objects["world"]
    third = StudentFactory(group=w.group, last_name_kk="Үшінші", last_name_ru="Третий")
    slot = Slot.objects.create(
        sitting=w.sitting, student=third, duration_minutes=30, starts_at=dt.datetime(2020, 5, 12, 13, 0, tzinfo=dt.UTC)
    )
    moment = dt.datetime(2020, 5, 12, 14, 0, tzinfo=dt.UTC)
    incomplete = Result.objects.create(
        slot=slot,
        letter="I",
        traditional="incomplete",
        source=Result.Source.INCOMPLETE,
        decided_at=moment,
        announced_at=moment,
    )
    discipline = Discipline.objects.get(institution=w.institution, code="DB2201")
    TranscriptRow.objects.create(
        student=third, discipline=discipline, period="2019-2", kind=TranscriptRow.Kind.CURRENT, points=Decimal("77")
    )
    decision = summative.summative_decision_make(
        actor=objects["users"]["inst_admin"],
        institution=w.institution,
        period="2019-2",
        number="45-Н",
        date=dt.date(2020, 5, 15),
        disciplines=[discipline],
    )
    arts = ArtsResult.objects.create(
        student=w.student,
        period="2019-1",
        average=Decimal("88"),
        characteristic="Жақсы",
        letter="B+",
        decided_by=w.head,
        decided_at=moment,
    )
    arts.recording.save("stage.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    objects.update(
        {"incomplete_result": incomplete, "summative_decision": decision, "discipline": discipline, "arts_result": arts}
    )


def _institution(o):
    return {"pk": o["world"].institution.pk}


ENTRIES = {
    "applications:incomplete_due": Entry("get", lambda o: {"pk": o["incomplete_result"].pk}, CHAIR_OR_DEPARTMENT),
    "applications:incomplete_due [set]": Entry(
        "post",
        lambda o: {"pk": o["incomplete_result"].pk},
        CHAIR_OR_DEPARTMENT,
        {"due_date": "2020-06-20"},
        url="applications:incomplete_due",
    ),
    "applications:summative_list": Entry("get", _institution, INSTITUTION),
    "applications:summative_list [preview]": Entry(
        "post",
        _institution,
        INSTITUTION,
        lambda o: {
            "period": "2019-2",
            "disciplines": [o["discipline"].pk],
            "number": "46-Н",
            "date": "2020-05-16",
            "preview": "1",
        },
        url="applications:summative_list",
    ),
    "applications:summative_decision_pdf": Entry("get", lambda o: {"pk": o["summative_decision"].pk}, INSTITUTION),
    "applications:arts_list": Entry("get", lambda o: {"pk": o["world"].department.pk}, DEPARTMENT_READERS),
    "applications:arts_set": Entry("get", lambda o: {"pk": o["world"].student.pk}, DEPARTMENT),
    "applications:arts_file": Entry("get", lambda o: {"pk": o["arts_result"].pk, "what": "recording"}, DEPARTMENT_READERS),
}
