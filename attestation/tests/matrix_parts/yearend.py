"""The year end (exams.yearend): transfers, the diploma request and accommodations — the head and the institution's
administrator act; the registrar office also downloads what was sent (R5)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from attestation.tests.matrix_base import PROGRAMME_KEEPERS, Entry
from exams.yearend.models import Accommodation, DiplomaRequest, Transfer

DOWNLOADERS = PROGRAMME_KEEPERS | {"registrar"}  # exams.yearend.permissions.can_download_yearend


def build(objects: dict) -> None:
    w, now = objects["world"], timezone.now()
    transfer = Transfer(
        commission=w.commission,
        recipient="registrar",
        addressee="Тіркеуші-офис",
        due_on=w.sitting.date,
        state=Transfer.State.DONE,
        sha256="0" * 64,
        sent_by=w.head,
        requested_at=now,
        sent_at=now,
    )
    transfer.file.save("registrar.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    transfer.save()
    request = DiplomaRequest(
        commission=w.commission,
        order_number="45-Д",
        order_date=dt.date(2020, 6, 15),
        language="kk",
        sha256="0" * 64,
        graduates=1,
        portfolio_due_on=dt.date(2020, 6, 18),
        created_by=w.head,
        created_at=now,
    )
    request.docx.save("request.docx", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    request.bundle.save("request.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    request.save()
    accommodation = Accommodation.objects.create(student=w.student, extra_minutes=10, recorded_by=w.head, recorded_at=now)
    objects.update({"transfer": transfer, "diploma_request": request, "accommodation": accommodation})


def _commission_pk(o):
    return {"commission_pk": o["world"].commission.pk}


ENTRIES = {
    "yearend:transfer_send": Entry(
        "post", _commission_pk, PROGRAMME_KEEPERS, {"recipient": "registrar", "addressee": "Тіркеуші-офис"}
    ),
    "yearend:transfer_download": Entry("get", lambda o: {"pk": o["transfer"].pk}, DOWNLOADERS),
    "yearend:diploma_request": Entry(
        "post", _commission_pk, PROGRAMME_KEEPERS, {"order_number": "45-Д", "order_date": "2020-06-15"}
    ),
    "yearend:diploma_request_file": Entry("get", lambda o: {"pk": o["diploma_request"].pk, "what": "docx"}, DOWNLOADERS),
    "yearend:accommodation_set": Entry(
        "post",
        lambda o: {"pk": o["world"].department.pk},
        PROGRAMME_KEEPERS,
        lambda o: {"student": o["world"].student.pk, "extra_minutes": 15, "extra_percent": 0},
    ),
    "yearend:accommodation_remove": Entry("post", lambda o: {"pk": o["accommodation"].pk}, PROGRAMME_KEEPERS),
}
