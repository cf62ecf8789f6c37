"""The institution's policy years and calendar (issue 20): only the institution's administrator reads and edits
them."""

import datetime as dt

from attestation.tests.matrix_base import Entry
from attestation.workcal.models import CalendarOverride

INST_ADMIN = frozenset({"inst_admin"})


def build(objects: dict) -> None:
    objects["calendar_day"] = CalendarOverride.objects.create(
        institution=objects["world"].institution, date=dt.date(2021, 11, 1), kind=CalendarOverride.Kind.DAY_OFF
    )


def _year(o):
    return {"pk": o["world"].institution.pk, "year": 2019}


ENTRIES = {
    "institutions:policy_year": Entry("get", _year, INST_ADMIN),
    "institutions:policy_new_year": Entry("post", _year, INST_ADMIN, {"academic_year": "2020"}),
    "institutions:calendar": Entry("get", lambda o: {"pk": o["world"].institution.pk}, INST_ADMIN),
    "institutions:calendar_remove": Entry("post", lambda o: {"pk": o["calendar_day"].pk}, INST_ADMIN),
}
