"""Writes on a commission's exam settings: checked against the policy and against a sitting already under way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.institutions.models import Institution, Policy
from attestation.institutions.policies import policy_for
from attestation.institutions.policy_limits import POLICY_RANGES
from commissions.models import Commission
from exams.models import TEST_FIELDS, Attempt, Draw, ExamProgramme, ExamSettings
from exams.services import attempt_kind, take_home_due_set

FIELDS = (
    "exam_format",
    "questions_per_ticket",
    "tickets_with_replacement",
    "upload_grace_minutes",
    "answer_sheet_max_mb",
    "test_questions",
    "test_minutes",
    "test_url",
    "test_modules",
)
# The fields a draw depends on: changing them once a ticket is drawn would give two students different rules.
DRAW_FIELDS = ("exam_format", "tickets_with_replacement")


def _largest_question_list(commission: Commission) -> int | None:
    programme = commission.exam_programmes.filter(state=ExamProgramme.State.APPROVED).order_by("-version").first()
    return programme.questions.count() if programme else None


def _policy_errors(values: dict, policy: Policy, commission: Commission) -> dict[str, str]:
    errors = {}
    grading_minutes = policy.written_grading_hours * 60
    if values["upload_grace_minutes"] >= grading_minutes:
        errors["upload_grace_minutes"] = _(
            "The grace must end well before the %(hours)s hour(s) the policy gives members to grade written answers."
        ) % {"hours": policy.written_grading_hours}
    for policy_field, field in TEST_FIELDS.items():  # a commission's test stays in the policy's lawful range
        limit = POLICY_RANGES[policy_field]
        if values.get(field) is not None and not limit.allows(values[field]):
            errors[field] = limit.message()
    modules = [line for line in (values.get("test_modules") or "").splitlines() if line.strip()]
    if _complex_testing(commission, values) and len(modules) < 2:
        errors["test_modules"] = _(
            "A college's complex testing covers the questions of several disciplines or professional modules: "
            "list at least two."
        )
    questions = _largest_question_list(commission)
    if questions is not None and values["questions_per_ticket"] > questions:
        errors["questions_per_ticket"] = _(
            "The approved question list has %(n)s question(s): a ticket cannot hold more."
        ) % {"n": questions}
    return errors


def _complex_testing(commission: Commission, values: dict) -> bool:
    """001: a college's complex exam held as testing is complex testing."""
    return (
        values.get("exam_format") == ExamSettings.Format.TESTING
        and commission.form == Commission.Form.COMPLEX_EXAM
        and commission.institution.kind == Institution.Kind.TVET
    )


def _draw_lock_errors(settings_: ExamSettings, values: dict) -> dict[str, str]:
    changed = [f for f in DRAW_FIELDS if getattr(settings_, f) != values[f]]
    if changed and Draw.objects.filter(sitting__commission=settings_.commission).exists():
        return {f: _("Tickets have already been drawn: this cannot change for the commission any more.") for f in changed}
    if settings_.exam_format != values["exam_format"] and tests_started(settings_.commission):
        return {"exam_format": _("A test has already started: the exam format cannot change any more.")}
    return {}


def tests_started(commission: Commission) -> bool:
    return Attempt.objects.filter(
        slot__sitting__commission=commission, kind=Attempt.Kind.TESTING, started_at__isnull=False
    ).exists()


def _waiting_attempts_follow(commission: Commission) -> None:
    """Attempts opened before the change and not yet drawn take the new format (or the written form a student's
    accommodation gives, as attempt_kind decides)."""
    waiting = (
        Attempt.objects.filter(slot__sitting__commission=commission, draw__isnull=True)
        .exclude(kind=Attempt.Kind.DEFENSE)
        .select_related("slot")
    )
    for attempt in waiting:
        kind = attempt_kind(commission, attempt.slot.student_id)
        if kind != attempt.kind:
            Attempt.objects.filter(pk=attempt.pk).update(kind=kind)


def _take_home_ends_follow(commission: Commission, exam_settings: ExamSettings) -> None:
    """The take-home attempts under way are finished when uploads now close, with the new grace (the settings just
    saved: not read again for each attempt)."""
    writing = Attempt.objects.filter(
        slot__sitting__commission=commission, kind=Attempt.Kind.TAKE_HOME, state=Attempt.State.WRITING
    )
    for attempt in writing:
        take_home_due_set(attempt, exam_settings)


@transaction.atomic
def exam_settings_update(*, commission: Commission, actor, **values) -> ExamSettings:
    """Saves the commission's exam settings within the policy's bounds; the format and the draw rule are fixed
    once a ticket is drawn. Attempts not yet under way follow a new format."""
    if commission.form == Commission.Form.DEFENSE:
        raise ValidationError(_("A defense commission has no exam settings."), code="defense")
    settings_, _created = ExamSettings.objects.select_for_update().get_or_create(commission=commission)
    values = {f: values.get(f, getattr(settings_, f)) for f in FIELDS}
    errors = {**_policy_errors(values, policy_for(commission), commission), **_draw_lock_errors(settings_, values)}
    if errors:
        raise ValidationError(errors)
    before = {f: getattr(settings_, f) for f in FIELDS}
    for field, value in values.items():
        setattr(settings_, field, value)
    settings_.full_clean()
    # Only the fields that change (the row is locked): a new test link ends no student's page (exams/page_hooks.py).
    settings_.save(update_fields=[f for f in FIELDS if getattr(settings_, f) != before[f]])
    if before["exam_format"] != values["exam_format"]:
        _waiting_attempts_follow(commission)
    if before["upload_grace_minutes"] != values["upload_grace_minutes"]:
        _take_home_ends_follow(commission, settings_)
    audit_record(actor=actor, verb="exam_settings.update", obj=settings_, before=before, after=values)
    return settings_
