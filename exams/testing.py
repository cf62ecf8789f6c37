"""Computer-based testing (R26, R30; 000 §13, §36; 001): the test's size and time, the students' scores recorded from
the testing system's file or by the secretary, turned into grades on the institution's scale, and the results
announced on the testing day.

The same-day rule is two deadlines on the sitting, set when its first test starts: a warning to the secretary and
the chair some hours before the testing day ends (the policy's number), and at the end of the day the announcement of
every score recorded and not yet announced — through the one announcement of the grading app, so the student is
told, the protocol and vedomost print the result and the appeal window opens as for any result.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from attestation.core.audit import audit_record
from attestation.core.csv_table import csv_rows
from attestation.core.deadlines import deadline_set
from attestation.core.models import Deadline
from attestation.core.notifications import notify
from attestation.institutions.policies import policy_for
from commissions.grading.services import result_apply, result_publish, scale_for
from commissions.models import Commission, Membership, Result, Sitting, Slot
from exams.models import Attempt, ExamSettings, TestScore
from exams.permissions import can_run_sitting

TESTING_WARN = "exams_testing_results_warn"
TESTING_DUE = "exams_testing_results_due"
IIN = re.compile(r"^\d{12}$")
MAX_ROWS = 3000


def test_numbers(commission: Commission) -> tuple[int, int]:
    """The test's questions and minutes: the commission's own, or the policy's."""
    settings_ = ExamSettings.objects.filter(commission=commission).first()
    policy = policy_for(commission)
    questions = (settings_.test_questions if settings_ else None) or policy.testing_questions
    minutes = (settings_.test_minutes if settings_ else None) or policy.testing_minutes
    return questions, minutes


def testing_day_ends(sitting: Sitting) -> dt.datetime:
    """The end of the testing day: midnight after the sitting's date, in the institution's time zone."""
    zone = ZoneInfo(sitting.commission.institution.time_zone)
    return dt.datetime.combine(sitting.date + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def testing_deadlines_ensure(sitting: Sitting) -> None:
    """R30: the sitting's warning and its end-of-day announcement, set once (a later start keeps them)."""
    ends = testing_day_ends(sitting)
    warn = ends - dt.timedelta(hours=policy_for(sitting.commission).testing_results_warn_hours)
    existing = set(
        Deadline.objects.filter(
            content_type__model="sitting", object_id=sitting.pk, kind__in=(TESTING_WARN, TESTING_DUE)
        ).values_list("kind", flat=True)
    )
    for kind, due_at in ((TESTING_WARN, warn), (TESTING_DUE, ends)):
        if kind not in existing:
            deadline_set(obj=sitting, kind=kind, due_at=due_at)


def testing_slots(sitting: Sitting):
    """The sitting's students who sat the test (their attempt is a test that has started), with scores and results."""
    return (
        Slot.objects.filter(sitting=sitting, attempt__kind=Attempt.Kind.TESTING, attempt__started_at__isnull=False)
        .select_related("student", "attempt__test_score", "result")
        .order_by("starts_at", "pk")
    )


def _percent(correct: int, questions: int) -> Decimal:
    return (Decimal(correct) * 100 / Decimal(questions)).quantize(Decimal("0.01"))


def _score_refusal(attempt: Attempt) -> str | None:
    if attempt.kind != Attempt.Kind.TESTING:
        return _("%(student)s does not sit a computer-based test.") % {"student": attempt.slot.student}
    if attempt.state != Attempt.State.FINISHED:
        return _("%(student)s has not finished the test: the secretary finishes it on the console first.") % {
            "student": attempt.slot.student
        }
    return None


@transaction.atomic
def test_score_record(
    *, attempt: Attempt, correct: int, actor, source: str = TestScore.Source.ENTRY, file_name: str = ""
) -> TestScore:
    """The secretary records a finished test's correct answers (typed, or from the testing system's file); the
    percentage becomes the grade on the institution's scale and the student's result, not yet announced."""
    attempt = (
        Attempt.objects.select_for_update()
        .select_related("slot__sitting__commission__institution", "slot__student")
        .get(pk=attempt.pk)
    )
    slot = attempt.slot
    if not can_run_sitting(actor, slot.sitting):
        raise PermissionDenied
    refusal = _score_refusal(attempt)
    if refusal:
        raise ValidationError(refusal, code="not_finished")
    questions, _minutes = test_numbers(slot.sitting.commission)
    if not 0 <= correct <= questions:
        raise ValidationError(
            {"correct": _("The test has %(n)s questions: correct answers are from 0 to %(n)s.") % {"n": questions}}
        )
    result = Result.objects.select_for_update().filter(slot=slot).first()
    if result is not None and result.announced_at is not None:
        raise ValidationError(
            _("The result of %(student)s is announced already; a change now goes through an appeal.")
            % {"student": slot.student},
            code="announced",
        )
    before = TestScore.objects.filter(attempt=attempt).values("correct", "questions").first()
    percent = _percent(correct, questions)
    score, _created = TestScore.objects.update_or_create(
        attempt=attempt,
        defaults={
            "questions": questions,
            "correct": correct,
            "percent": percent,
            "source": source,
            "file_name": file_name[:255],
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    grade = scale_for(slot).from_points(percent)
    result_apply(actor=actor, slot=slot, result=result, grade=grade, source=Result.Source.TESTING, verb="result.testing")
    audit_record(
        actor=actor,
        verb="test_score.record",
        obj=attempt,
        before=before,
        after={"correct": correct, "questions": questions, "percent": str(percent), "source": source},
    )
    return score


# --- the testing system's file ------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    recorded: int = 0
    errors: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_rows(upload, kind: str) -> list[list[str]]:
    if kind == "xlsx":
        try:
            sheet = load_workbook(upload, read_only=True, data_only=False).worksheets[0]
            return [[_cell(v) for v in row[:2]] for row in sheet.iter_rows(max_col=2, values_only=True)]
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ValidationError(_("The XLSX file cannot be read.")) from exc
    return [[_cell(v) for v in row[:2]] for row in csv_rows(upload.read())]


def read_scores(upload, kind: str) -> list[tuple[int, str, str]]:
    """The file's rows (line, IIN, correct answers); a first row that is not a student (a header) is skipped."""
    rows = [(line, *(cells + ["", ""])[:2]) for line, cells in enumerate(_raw_rows(upload, kind), start=1) if any(cells)]
    if rows and not IIN.match(rows[0][1]):
        rows = rows[1:]
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Too many rows: at most %(n)s.") % {"n": MAX_ROWS})
    if not rows:
        raise ValidationError(_("The file holds no results."))
    return rows


def test_scores_import(*, sitting: Sitting, upload, kind: str, actor) -> ImportReport:
    """The testing system's results file (column A the student's IIN, column B the correct answers): each row goes
    through test_score_record; a row that cannot be recorded is reported and the others are kept."""
    if not can_run_sitting(actor, sitting):
        raise PermissionDenied
    by_iin = {slot.student.iin: slot for slot in testing_slots(sitting)}
    report = ImportReport()
    for line, iin, correct in read_scores(upload, kind):
        slot = by_iin.get(iin)
        if slot is None:
            report.errors.append(_("Row %(row)s: no student with IIN %(iin)s sat the test.") % {"row": line, "iin": iin})
            continue
        if not correct.isdigit():
            report.errors.append(_("Row %(row)s: the correct answers are not a number.") % {"row": line})
            continue
        try:
            test_score_record(
                attempt=slot.attempt,
                correct=int(correct),
                actor=actor,
                source=TestScore.Source.IMPORT,
                file_name=getattr(upload, "name", ""),
            )
        except ValidationError as exc:
            report.errors.append(_("Row %(row)s: %(problem)s") % {"row": line, "problem": " ".join(exc.messages)})
        else:
            report.recorded += 1
    return report


# --- the same-day deadline (R30) ----------------------------------------------------------------------------------


def _unannounced(sitting: Sitting) -> list[Slot]:
    return [slot for slot in testing_slots(sitting) if getattr(slot, "result", None) is None or not slot.result.announced_at]


def _tell_commission(sitting: Sitting, *, kind: str, template: str, context: dict) -> None:
    people = get_user_model().objects.filter(
        memberships__commission_id=sitting.commission_id,
        memberships__role__in=(Membership.Role.CHAIR, Membership.Role.SECRETARY),
        is_active=True,
    )
    url = reverse("exams:testing", args=[sitting.pk])
    for user in people:
        notify(user=user, kind=kind, template=template, context={"sitting": sitting, **context}, url=url)


def testing_results_warn(*, sitting_pk: int) -> bool:
    """Some hours before the testing day ends: the secretary and the chair hear whose results are not announced."""
    sitting = Sitting.objects.select_related("commission__institution").filter(pk=sitting_pk).first()
    if sitting is None:
        return False
    waiting = _unannounced(sitting)
    if not waiting:
        return False
    _tell_commission(
        sitting,
        kind=TESTING_WARN,
        template="exams/email/testing_results_warn",
        context={"students": [slot.student for slot in waiting], "ends_at": testing_day_ends(sitting)},
    )
    return True


def testing_results_due(*, sitting_pk: int, now: dt.datetime) -> bool:
    """At the end of the testing day every recorded test result not yet announced is announced (R30); the students
    still without a score are named to the secretary and the chair, and the audit trail keeps both lists."""
    sitting = Sitting.objects.select_related("commission__institution").filter(pk=sitting_pk).first()
    if sitting is None:
        return False
    waiting = _unannounced(sitting)
    if not waiting:
        return False
    announced, missing = [], []
    for slot in waiting:
        result = Result.objects.select_for_update().filter(slot=slot, announced_at__isnull=True).first()
        if result is None:
            missing.append(slot)
            continue
        result_publish(slot=slot, result=result, now=now)
        announced.append(result)
    audit_record(
        actor=None,
        verb="testing.results_due",
        obj=sitting,
        after={"announced": [r.pk for r in announced], "without_score": [slot.pk for slot in missing]},
        about=announced,
    )
    if missing:
        _tell_commission(
            sitting,
            kind=TESTING_DUE,
            template="exams/email/testing_results_missing",
            context={"students": [slot.student for slot in missing]},
        )
    return True
