import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from attestation.core.models import Notification
from attestation.workcal.calendar import working_days_between
from exams.admission import acquaintance
from exams.admission.models import Acquaintance

from .conftest import pdf_upload

STARTS = dt.date(2020, 6, 1)  # Monday


def test_the_procedure_is_due_20_working_days_before_on_the_kazakh_calendar(world):
    latest = acquaintance.latest_send_date(starts=STARTS, working_days=20, institution_id=world.institution.pk)
    day_before = STARTS - dt.timedelta(days=1)
    assert working_days_between(latest, day_before) == 20
    assert working_days_between(latest + dt.timedelta(days=1), day_before) == 19
    # Weekdays alone would give Friday 1 May; the May holidays (7 and 11 May 2020) push it into April.
    assert latest < dt.date(2020, 5, 1)


def test_the_department_sends_the_procedure_and_sees_who_has_not_confirmed(client, world, head, time_machine):
    time_machine.move_to(dt.datetime(2020, 4, 20, 10, 0, tzinfo=dt.UTC))
    notice = acquaintance.procedure_send(
        actor=head, programme=world.programme, upload=pdf_upload("procedure.pdf"), attestation_starts=STARTS
    )
    assert not notice.late
    assert Notification.objects.filter(kind="admission.procedure").count() == 2
    mine = Acquaintance.objects.get(notice=notice, student=world.student)
    client.force_login(world.student.user)
    assert client.post(reverse("admission:acquaintance_confirm", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.confirmed_at is not None
    client.force_login(head)
    client.cookies["django_language"] = "en"  # the assertions read the English page
    page = client.get(reverse("admission:table", args=[world.programme.pk])).content.decode()
    pending = page.split("Not confirmed yet")[1].split("</p>")[0]
    assert world.other_student.full_name in pending and world.student.full_name not in pending


def test_a_procedure_sent_too_late_is_flagged(world, head, time_machine):
    time_machine.move_to(dt.datetime(2020, 5, 20, 10, 0, tzinfo=dt.UTC))
    notice = acquaintance.procedure_send(
        actor=head, programme=world.programme, upload=pdf_upload("procedure.pdf"), attestation_starts=STARTS
    )
    assert notice.late


def test_a_student_confirms_only_their_own_acquaintance(client, world, head):
    notice = acquaintance.procedure_send(
        actor=head, programme=world.programme, upload=pdf_upload("procedure.pdf"), attestation_starts=STARTS
    )
    theirs = Acquaintance.objects.get(notice=notice, student=world.other_student)
    with pytest.raises(PermissionDenied):
        acquaintance.acquaintance_confirm(actor=world.student.user, acquaintance=theirs)
    client.force_login(world.student.user)
    assert client.post(reverse("admission:acquaintance_confirm", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admission:procedure_file", args=[notice.pk])).status_code == 200
