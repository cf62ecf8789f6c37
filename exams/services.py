"""Writes on the live attestation: attempts and their transitions, the closed draw, answer sheets, questions asked."""

import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.uploads import validate_upload
from attestation.institutions.policies import policy_for
from commissions.attendance import formation_refusal
from commissions.models import Commission, Sitting, Slot
from commissions.page_hooks import slot_pages_changed
from exams import extensions, selectors, states, testing
from exams.accommodations import extra_minutes, writes_instead_of_oral
from exams.models import (
    AnswerSheet,
    Attempt,
    Draw,
    ExamProgramme,
    ExamSettings,
    QuestionAsked,
    Ticket,
    TicketSet,
    Transition,
)
from exams.pages_ahead import exam_poll_build_after_commit
from exams.permissions import can_run_sitting
from exams.uploads import answer_sheet_clean

S = Attempt.State
TAKE_HOME_DUE = "exams_take_home_due"
# Presented to the commission without a ticket: the defense, and the creative exam that follows its flow (000 §13, §36)
PRESENTED = (Attempt.Kind.DEFENSE, Attempt.Kind.CREATIVE)


def exam_settings_for(commission: Commission) -> ExamSettings:
    """The commission's exam settings, created with the defaults the first time they are needed."""
    settings_, _created = ExamSettings.objects.get_or_create(commission=commission)
    return settings_


def exam_format_of(commission: Commission) -> str | None:
    """The commission's exam format (one read, nothing created); None for a defense commission."""
    if commission.form == Commission.Form.DEFENSE:
        return None
    found = ExamSettings.objects.filter(commission=commission).values_list("exam_format", flat=True).first()
    return found or ExamSettings.Format.ORAL


def attempt_kind(commission: Commission, student_id: int | None = None) -> str:
    """Defense, or the commission's exam format — written for a student whose accommodation says so (000 §7)."""
    if commission.form == Commission.Form.DEFENSE:
        return Attempt.Kind.DEFENSE
    exam_format = exam_settings_for(commission).exam_format
    if exam_format == Attempt.Kind.ORAL and student_id is not None and writes_instead_of_oral(student_id):
        return Attempt.Kind.WRITTEN
    return exam_format


def attempt_for_slot(*, slot: Slot) -> Attempt:
    """The slot's attempt, created in the scheduled state the first time; at most one per slot (DB constraint)."""
    attempt = Attempt.objects.filter(slot=slot).first()
    if attempt is not None:
        return attempt
    try:
        with transaction.atomic():
            return Attempt.objects.create(slot=slot, kind=attempt_kind(slot.sitting.commission, slot.student_id))
    except IntegrityError:
        return Attempt.objects.get(slot=slot)


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().select_related("slot__sitting__commission").get(pk=attempt.pk)


def _apply_timers(attempt: Attempt, to_state: str, now: dt.datetime) -> None:
    if to_state == S.ADMITTED and attempt.admitted_at is None:
        attempt.admitted_at = now
    elif to_state in (S.PREPARING, S.WRITING) and attempt.started_at is None:
        attempt.started_at = now
        if to_state == S.WRITING and attempt.kind == Attempt.Kind.TESTING:
            minutes = testing.test_numbers(attempt.slot.sitting.commission)[1]
            minutes += extra_minutes(attempt.slot.student_id, minutes)  # an accommodation's extra time (000 §7)
            attempt.deadline_at = now + dt.timedelta(minutes=minutes)
            testing.testing_deadlines_ensure(attempt.slot.sitting)  # results announced the same day (R30)
        elif to_state == S.WRITING and attempt.kind == Attempt.Kind.TAKE_HOME:
            # 000 §13, §36: the assignment (the drawn ticket) is done at home, due the policy's hours later
            minutes = policy_for(attempt.slot.sitting.commission).take_home_hours * 60
            minutes += extra_minutes(attempt.slot.student_id, minutes)
            attempt.deadline_at = now + dt.timedelta(minutes=minutes)
            take_home_due_set(attempt)
        elif to_state == S.WRITING:
            minutes = policy_for(attempt.slot.sitting.commission).written_exam_minutes
            minutes += extra_minutes(attempt.slot.student_id, minutes)  # an accommodation's extra time (000 §7)
            attempt.deadline_at = now + dt.timedelta(minutes=minutes)
    elif to_state == S.ANSWERING and attempt.answering_at is None:
        attempt.answering_at = now
    elif to_state == S.FINISHED:
        attempt.finished_at = now
        if attempt.kind == Attempt.Kind.TAKE_HOME:
            attempt.work_submitted = attempt.answer_sheets.exists()


@transaction.atomic
def attempt_transition(*, attempt: Attempt, to_state: str, actor, note: str = "", at: dt.datetime | None = None) -> Attempt:
    """Moves the attempt to `to_state` if the state machine allows it; records who and when (Transition + audit).
    `actor` None is the portal itself; `at` is the moment of the move when it is not now (a deadline handled late)."""
    attempt = _locked(attempt)
    from_state = attempt.state
    if not states.allowed(from_state, to_state):
        raise ValidationError(
            _("%(student)s is “%(from)s”: the attestation cannot go to “%(to)s” from there.")
            % {"student": attempt.slot.student, "from": S(from_state).label, "to": S(to_state).label},
            code="illegal_transition",
        )
    if from_state == S.ADMITTED and to_state == S.WRITING and attempt.kind != Attempt.Kind.TESTING:
        raise ValidationError(_("A written exam starts with the draw of a ticket."), code="draw_first")
    if to_state == S.ADMITTED and from_state != S.INTERRUPTED:
        unformed = formation_refusal(commission_id=attempt.slot.sitting.commission_id)
        if unformed:  # the sitting does not open for anyone before the commission is formed
            raise ValidationError(unformed, code="unformed")
    now = at or timezone.now()
    if to_state == S.INTERRUPTED:
        attempt.resume_state = from_state
    _apply_timers(attempt, to_state, now)
    attempt.state = to_state
    attempt.save()
    slot_before = _slot_follow(attempt, to_state)
    if to_state in states.WAITING:  # the student's next poll, built ahead after the renewals above
        exam_poll_build_after_commit(attempt.slot_id)
    Transition.objects.create(
        attempt=attempt, from_state=from_state, to_state=to_state, actor=actor, at=now, note=note[:500]
    )
    audit_record(
        actor=actor,
        verb="attempt.transition",
        obj=attempt,
        before={"state": from_state, "slot_status": slot_before},
        after={"state": to_state, "note": note[:500], "slot_status": attempt.slot.status},
    )
    return attempt


@transaction.atomic
def take_home_due(*, attempt_pk: int, at: dt.datetime) -> bool:
    """000 §13, §36: when a take-home exam's time and the upload grace are over, the attempt is finished as if the
    student had submitted what they uploaded — marked not submitted when nothing was — at that moment, however late
    the sweep comes; once: an attempt already finished (by the secretary, or by an earlier sweep) is left be."""
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_pk, kind=Attempt.Kind.TAKE_HOME).first()
    if attempt is None or attempt.state != S.WRITING:
        return False
    sheets = attempt.answer_sheets.count()
    if sheets:
        note = _("The take-home exam's time is over: the work uploaded (%(n)s sheet(s)) is submitted.") % {"n": sheets}
    else:
        note = _("The take-home exam's time is over and nothing was uploaded: the work is not submitted.")
    attempt = attempt_transition(attempt=attempt, to_state=S.FINISHED, actor=None, note=note, at=at)
    audit_record(
        actor=None,
        verb="take_home.due",
        obj=attempt,
        after={"sheets": sheets, "submitted": sheets > 0, "closed_at": at.isoformat()},
    )
    return True


def _slot_follow(attempt: Attempt, to_state: str) -> str:
    """Keeps the slot's status (what the schedule shows) in step with the attempt; returns the status before."""
    slot = attempt.slot
    before, after = slot.status, states.SLOT_STATUS[to_state]
    if before != after:
        Slot.objects.filter(pk=slot.pk).update(status=after)
        slot_pages_changed(slot.pk)  # the student's schedule shows the status
        slot.status = after
    return before


@transaction.atomic
def console_transition(*, attempt: Attempt, to_state: str, actor) -> Attempt:
    """A console button: the moves that have their own flow (draw, interruption) are refused here; the oral
    questioning waits for R28's delay, and admission for the rules the apps above add (the room check, R20)."""
    attempt = _locked(attempt)
    if to_state == S.IDENTIFIED:
        raise ValidationError(_("Identify the student with the checklist on the student's desk."), code="flow_only")
    if to_state in states.FLOW_ONLY or to_state not in S.values:
        raise ValidationError(_("This step is not made with a console button."), code="flow_only")
    if to_state == S.ADMITTED and attempt.state == S.INTERRUPTED:
        raise ValidationError(_("An interruption is resolved by the commission's decision."), code="flow_only")
    if to_state == S.ANSWERING and attempt.state == S.ADMITTED and attempt.kind not in PRESENTED:
        # R28: an exam starts with the student's closed draw; no posted move skips it (nor the questioning delay)
        raise ValidationError(_("The exam starts with the student's draw of a ticket."), code="draw_first")
    if to_state == S.ANSWERING and attempt.state == S.PREPARING and attempt.kind == Attempt.Kind.ORAL:
        refusal = questioning_refusal(sitting=attempt.slot.sitting)
        if refusal:
            raise ValidationError(refusal, code="questioning_not_yet")
    for rule in extensions.admission_rules() if to_state == S.ADMITTED else ():
        refusal = rule(attempt=attempt)
        if refusal:
            raise ValidationError(refusal, code="admission_order")
    return attempt_transition(attempt=attempt, to_state=to_state, actor=actor)


def questioning_refusal(*, sitting: Sitting, now: dt.datetime | None = None) -> str | None:
    """R28: why the oral questioning may not start yet, naming when it may: the first student is questioned the
    policy's minutes after the last student of the sitting has drawn; None once it may."""
    policy = policy_for(sitting.commission)
    delay = policy.oral_questioning_delay_minutes
    zone = ZoneInfo(sitting.commission.institution.time_zone)
    waiting = selectors.still_to_draw(sitting=sitting)
    if waiting:
        return _(
            "Questioning starts %(minutes)s minutes after the last student has drawn; still to draw: %(names)s "
            "(or mark them absent)."
        ) % {"minutes": delay, "names": ", ".join(slot.student.full_name for slot in waiting)}
    starts = selectors.questioning_starts_at(sitting=sitting, policy=policy)
    if starts is not None and (now or timezone.now()) < starts:
        return _(
            "Questioning of the first student may start at %(time)s, %(minutes)s minutes after the last draw (%(last)s)."
        ) % {
            "time": timezone.localtime(starts, zone).strftime("%H:%M"),
            "minutes": delay,
            "last": timezone.localtime(starts - dt.timedelta(minutes=delay), zone).strftime("%H:%M"),
        }
    return None


# --- the closed draw (R28) ---------------------------------------------------------------------------------------


def ticket_set_current(commission: Commission) -> TicketSet | None:
    """The latest approved ticket set of the commission's latest approved programme."""
    return (
        TicketSet.objects.filter(
            programme__commission=commission, programme__state=ExamProgramme.State.APPROVED, state=TicketSet.State.APPROVED
        )
        .order_by("-programme__version", "-version")
        .first()
    )


def _available_tickets(ticket_set: TicketSet, sitting_id: int, without_replacement: bool) -> list[int]:
    ids = list(ticket_set.tickets.order_by("number").values_list("pk", flat=True))
    if without_replacement:
        taken = set(Draw.objects.filter(sitting_id=sitting_id, without_replacement=True).values_list("ticket_id", flat=True))
        ids = [pk for pk in ids if pk not in taken]
    return ids


@transaction.atomic
def ticket_draw(*, attempt: Attempt, actor, card: int = 0) -> Draw:
    """The student's closed draw: a cryptographic choice among the tickets still available; a second call
    (double click, second tab) returns the first draw. Starts preparation (oral) or the written timer."""
    attempt = _locked(attempt)
    existing = Draw.objects.filter(attempt=attempt).select_related("ticket").first()
    if existing is not None:
        return existing
    if attempt.kind == Attempt.Kind.TESTING:
        raise ValidationError(_("A computer-based test has no tickets."), code="testing")
    if attempt.kind == Attempt.Kind.CREATIVE:
        raise ValidationError(_("A creative exam has no tickets: the student presents the work."), code="creative")
    if attempt.state != S.ADMITTED:
        raise ValidationError(_("You can draw a ticket once the secretary has admitted you."), code="not_admitted")
    commission = attempt.slot.sitting.commission
    ticket_set = ticket_set_current(commission)
    if ticket_set is None:
        raise ValidationError(_("The commission has no approved tickets yet. Tell the secretary."), code="no_tickets")
    # One draw at a time per ticket set: the lock makes "still available" true at the moment of the choice.
    TicketSet.objects.select_for_update().filter(pk=ticket_set.pk).first()
    without = not exam_settings_for(commission).tickets_with_replacement
    available = _available_tickets(ticket_set, attempt.slot.sitting_id, without)
    if not available:
        raise ValidationError(_("Every ticket has been drawn in this sitting. Tell the secretary."), code="no_tickets_left")
    ticket = Ticket.objects.get(pk=secrets.choice(available))
    draw = Draw.objects.create(
        attempt=attempt,
        sitting_id=attempt.slot.sitting_id,
        ticket=ticket,
        without_replacement=without,
        card=max(0, min(card, 999)),
        drawn_at=timezone.now(),
    )
    audit_record(actor=actor, verb="ticket.draw", obj=attempt, after={"ticket": ticket.number, "set": ticket_set.pk})
    attempt_transition(attempt=attempt, to_state=S.TICKET_DRAWN, actor=actor)
    next_state = S.WRITING if attempt.kind in (Attempt.Kind.WRITTEN, Attempt.Kind.TAKE_HOME) else S.PREPARING
    attempt_transition(attempt=attempt, to_state=next_state, actor=actor)
    return draw


# --- written exam: answer sheets (R27, R29) ----------------------------------------------------------------------


def upload_closes_at(attempt: Attempt, exam_settings: ExamSettings | None = None) -> dt.datetime | None:
    """The attempt's deadline and the exam's grace as it is now (the grace may be edited during the exam);
    `exam_settings`: the commission's, when the caller holds them already."""
    if attempt.deadline_at is None:
        return None
    grace = (exam_settings or exam_settings_for(attempt.slot.sitting.commission)).upload_grace_minutes
    return attempt.deadline_at + dt.timedelta(minutes=grace)


def take_home_due_set(attempt: Attempt, exam_settings: ExamSettings | None = None) -> None:
    """When uploads close, the sweep finishes a take-home attempt with what was uploaded (take_home_due): set when its
    time starts, and moved with the grace when the exam settings change it (exam_settings_update), so the finish and
    the upload gate (upload_closes_at) never disagree."""
    closes = upload_closes_at(attempt, exam_settings)
    if closes is not None:  # None: its time has not started, nothing is due
        deadline_set(obj=attempt, kind=TAKE_HOME_DUE, due_at=closes)


@transaction.atomic
def answer_sheet_upload(*, attempt: Attempt, upload, actor) -> AnswerSheet:
    """Stores the next numbered answer sheet after checking its content; refused after the deadline and grace."""
    attempt = _locked(attempt)
    closes = upload_closes_at(attempt)
    if attempt.kind not in (Attempt.Kind.WRITTEN, Attempt.Kind.TAKE_HOME) or closes is None:
        raise ValidationError(_("Answer sheets are uploaded during a written exam."), code="not_written")
    if attempt.state not in (S.WRITING, S.FINISHED, S.ANSWERING):
        raise ValidationError(
            _("Uploads are closed in the state “%(state)s”.") % {"state": attempt.get_state_display()}, code="closed"
        )
    if timezone.now() > closes:
        raise ValidationError(
            _("The time for answer sheets ended at %(time)s; the upload is refused.")
            % {"time": timezone.localtime(closes).strftime("%H:%M")},
            code="deadline",
        )
    return _answer_sheet_store(attempt, upload, actor=actor, verb="answer_sheet.upload")


def _answer_sheet_store(attempt: Attempt, upload, *, actor, verb: str, taken_by=None) -> AnswerSheet:
    """Checks the image or PDF against the exam's size limit, numbers it after the attempt's sheets, stores, audits."""
    max_bytes = exam_settings_for(attempt.slot.sitting.commission).answer_sheet_max_mb * 1024 * 1024
    data, kind = answer_sheet_clean(upload, max_bytes=max_bytes)
    number = attempt.answer_sheets.count() + 1
    sheet = AnswerSheet(
        attempt=attempt,
        number=number,
        kind=kind,
        original_name=(upload.name or "")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=timezone.now(),
        taken_by=taken_by,
    )
    sheet.file.save(f"{number:02d}.{kind}", ContentFile(data), save=False)
    sheet.save()
    if attempt.work_submitted is False:  # finished by the secretary before its time was over, uploaded in the grace
        attempt.work_submitted = True
        attempt.save(update_fields=["work_submitted", "updated_at"])
    audit_record(actor=actor, verb=verb, obj=attempt, after={"number": number, "sha256": sheet.sha256})
    return sheet


SCREENSHOT_STATES = (S.PREPARING, S.WRITING, S.ANSWERING, S.FINISHED)


@transaction.atomic
def answer_sheet_screenshot(*, attempt: Attempt, upload, actor) -> AnswerSheet:
    """The secretary's screenshot of the answer sheet the student shows (001): checked like a photo, numbered with
    the attempt's sheets, kept with the attempt."""
    attempt = _locked(attempt)
    if not can_run_sitting(actor, attempt.slot.sitting):
        raise PermissionDenied
    if attempt.state not in SCREENSHOT_STATES:
        raise ValidationError(
            _("A screenshot of the answer sheet is taken once the student has the ticket; the state is “%(state)s”.")
            % {"state": attempt.get_state_display()},
            code="closed",
        )
    return _answer_sheet_store(attempt, upload, actor=actor, verb="answer_sheet.screenshot", taken_by=actor)


# --- questions asked (R25, R31) ----------------------------------------------------------------------------------


def _questions_max(attempt: Attempt, in_writing: bool) -> int | None:
    policy = policy_for(attempt.slot.sitting.commission)
    if in_writing:
        return policy.written_questions_max
    if attempt.kind == Attempt.Kind.DEFENSE:
        return policy.defense_questions_max
    return None


@transaction.atomic
def question_record(*, attempt: Attempt, member, text: str, actor) -> QuestionAsked:
    """Records a member's question (relayed by the secretary), within the policy's number of questions."""
    attempt = _locked(attempt)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the question."), code="empty")
    if attempt.state not in states.LIVE:
        raise ValidationError(_("Questions are recorded while the student is answering."), code="not_live")
    limit = _questions_max(attempt, attempt.in_writing)
    asked = attempt.questions_asked.filter(in_writing=attempt.in_writing).count()
    if limit is not None and asked >= limit:
        raise ValidationError(_("The policy allows at most %(n)s questions here.") % {"n": limit}, code="too_many")
    question = QuestionAsked.objects.create(
        attempt=attempt, member=member, text=text, in_writing=attempt.in_writing, asked_at=timezone.now(), recorded_by=actor
    )
    audit_record(actor=actor, verb="question.record", obj=attempt, after={"member": member.pk, "id": question.pk})
    return question


@transaction.atomic
def written_mode_switch(*, attempt: Attempt, actor) -> Attempt:
    """When video fails, the questions go in writing (R25); recorded, never switched back silently."""
    attempt = _locked(attempt)
    if attempt.in_writing:
        return attempt
    attempt.in_writing = True
    attempt.save(update_fields=["in_writing", "updated_at"])
    audit_record(actor=actor, verb="attempt.in_writing", obj=attempt, after={"in_writing": True})
    return attempt


ANSWER_FILE_TYPES = ("jpg", "jpeg", "png", "pdf")
ANSWERS_OPEN = states.LIVE | {S.INTERRUPTED}


def _answer_file_store(question: QuestionAsked, upload) -> None:
    """Checks the file by its content (validate_upload), re-encodes a photo, keeps a PDF only if whole."""
    max_bytes = exam_settings_for(question.attempt.slot.sitting.commission).answer_sheet_max_mb * 1024 * 1024
    validate_upload(upload, allowed=ANSWER_FILE_TYPES, max_bytes=max_bytes)
    upload.seek(0)
    data, kind = answer_sheet_clean(upload, max_bytes=max_bytes)
    question.answer_file_kind = kind
    question.answer_file_name = (upload.name or "")[:255]
    question.answer_file_sha256 = hashlib.sha256(data).hexdigest()
    question.answer_file.save(f"{question.pk}.{kind}", ContentFile(data), save=False)


@transaction.atomic
def written_answer_submit(*, question: QuestionAsked, text: str, actor, upload=None) -> QuestionAsked:
    """The student's answer to a question put in writing (R25): the text box, a photo or PDF of the answer, or
    both; once only, and only while the attestation is under way."""
    question = (
        QuestionAsked.objects.select_for_update().select_related("attempt__slot__sitting__commission").get(pk=question.pk)
    )
    if not question.in_writing:
        raise ValidationError(_("This question is answered orally."), code="oral")
    if question.answered_at is not None:
        raise ValidationError(_("This question is already answered."), code="answered")
    if question.attempt.state not in ANSWERS_OPEN:
        raise ValidationError(_("The attestation is over: answers are no longer accepted."), code="closed")
    text = (text or "").strip()
    if not text and not upload:
        raise ValidationError(_("Write the answer or attach a photo or PDF of it."), code="empty")
    if upload:
        _answer_file_store(question, upload)
    question.answer_text = text
    question.answered_at = timezone.now()
    question.save(
        update_fields=[
            "answer_text",
            "answered_at",
            "answer_file",
            "answer_file_kind",
            "answer_file_name",
            "answer_file_sha256",
        ]
    )
    audit_record(
        actor=actor,
        verb="question.answer",
        obj=question.attempt,
        after={"question": question.pk, "text": bool(text), "file_sha256": question.answer_file_sha256},
    )
    return question


# --- defense (R31) -------------------------------------------------------------------------------------------------


@transaction.atomic
def speech_end(*, attempt: Attempt, actor) -> Attempt:
    """Marks the end of the defense speech; the questions follow."""
    attempt = _locked(attempt)
    if attempt.state != S.ANSWERING or attempt.kind != Attempt.Kind.DEFENSE:
        raise ValidationError(_("The speech ends during a defense."), code="not_defense")
    if attempt.speech_ended_at is None:
        attempt.speech_ended_at = timezone.now()
        attempt.save(update_fields=["speech_ended_at", "updated_at"])
        audit_record(actor=actor, verb="defense.speech_end", obj=attempt, after={"at": str(attempt.speech_ended_at)})
    return attempt


@transaction.atomic
def report_video_submit(*, attempt: Attempt, url: str, actor) -> Attempt:
    """Offline defense: the student submits the link to the video of the report; at a creative exam, the link to
    the creative work (a recording of the performance, a portfolio)."""
    attempt = _locked(attempt)
    if attempt.kind not in PRESENTED:
        raise ValidationError(_("A report video belongs to a defense."), code="not_defense")
    if attempt.state in (S.FINISHED, S.POSTPONED, S.STOPPED):
        raise ValidationError(_("The defense is over."), code="closed")
    attempt.report_video_url = url
    attempt.full_clean(validate_unique=False, validate_constraints=False)
    attempt.save(update_fields=["report_video_url", "updated_at"])
    audit_record(actor=actor, verb="defense.report_video", obj=attempt, after={"url": url})
    return attempt
