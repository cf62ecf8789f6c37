"""Proctoring, live side (R7, R19, R21, R23): the failure act's page and its other slot, stored recording files,
removing a proctor. The act is the student's (world.student's slot); `other_student` must get 404."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from attestation.tests.factories import UserFactory
from attestation.tests.matrix_base import COMMISSION, DECIDERS, SECRETARY, STUDENT, WATCHERS, Entry
from attestation.workcal.calendar import nth_working_day_after
from commissions import services as commission_services
from commissions.models import Commission
from proctoring import services as proctoring
from proctoring.models import Recording

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
ASSIGNERS = SECRETARY | {"head"}  # proctoring.permissions.can_assign_proctors


def build(objects: dict) -> None:
    w = objects["world"]
    objects["recording_file"] = proctoring.recording_add(
        sitting=w.sitting,
        file=SimpleUploadedFile("sitting.mp4", MP4),
        audience=Recording.Audience.COMMISSION,
        note="",
        actor=w.secretary,
    )
    objects["proctor_to_remove"] = proctoring.proctor_assign(
        sitting=w.sitting, user=UserFactory(username="removable-proctor"), actor=w.secretary
    )
    # a later sitting of the same commission, in the future, where the student can be given another time (R23):
    # a working day inside the attestation period, which is stretched to hold it
    later_day = nth_working_day_after(timezone.localdate() + dt.timedelta(days=29), 1, w.institution.pk)
    Commission.objects.filter(pk=w.commission.pk).update(period_end=later_day)
    w.commission.refresh_from_db()
    objects["later_sitting"] = commission_services.sitting_create(
        actor=w.secretary,
        commission=w.commission,
        date=later_day,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(14, 0),
        meeting_url="https://zoom.us/j/2",
    )


ENTRIES = {
    "proctoring:act": Entry("get", lambda o: {"pk": o["act"].pk}, WATCHERS | STUDENT),
    "proctoring:act [offer another slot]": Entry(
        "post", lambda o: {"pk": o["act"].pk}, DECIDERS, lambda o: {"sitting": o["later_sitting"].pk}, url="proctoring:act"
    ),
    "proctoring:recording_file": Entry("get", lambda o: {"pk": o["recording_file"].pk}, COMMISSION | {"head"}),
    "proctoring:proctor_remove": Entry("post", lambda o: {"pk": o["proctor_to_remove"].pk}, ASSIGNERS),
}
