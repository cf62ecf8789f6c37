"""Writes on identification, room checks, incidents, acts, interruptions, recordings and proctors (R19-R24, R7)."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.notifications import notify
from attestation.documents.render import document_render
from attestation.institutions.models import Policy, Student
from attestation.institutions.policies import policy_for
from commissions import services as commission_services
from commissions.attendance import sitting_quorum
from commissions.models import Membership, Sitting, Slot
from commissions.permissions import commission_role
from exams import services as exam_services
from exams import states
from exams.models import Attempt
from exams.uploads import answer_sheet_clean
from proctoring.models import (
    CommissionDecision,
    IdCopy,
    Identification,
    Incident,
    Interruption,
    MemberIdentification,
    ProctorAssignment,
    Recording,
    RoomCheck,
    TechnicalFailureAct,
)

S = Attempt.State
ID_COPY_MAX_BYTES = 10 * 1024 * 1024
SCREENSHOT_MAX_BYTES = 10 * 1024 * 1024
RECORDING_MAX_BYTES = 4 * 1024 * 1024 * 1024  # a 5-hour sitting in 720p
RECORDING_EXPIRE = "recording_expire"
# Video files are recognised by content: MP4 has "ftyp" at offset 4, WebM starts with the EBML magic.
RECORDING_SIGNATURES = {
    "mp4": lambda head: head[4:8] == b"ftyp",
    "webm": lambda head: head.startswith(b"\x1a\x45\xdf\xa3"),
}


@transaction.atomic
def id_copy_upload(*, student: Student, upload, actor) -> IdCopy:
    """The student's ID copy for identification (R19); checked by content and re-encoded like answer sheets."""
    data, kind = answer_sheet_clean(upload, max_bytes=ID_COPY_MAX_BYTES)
    copy = IdCopy(student=student, kind=kind, sha256=hashlib.sha256(data).hexdigest(), uploaded_at=timezone.now())
    copy.file.save(f"id.{kind}", ContentFile(data), save=False)
    copy.save()
    audit_record(actor=actor, verb="id_copy.upload", obj=copy, after={"sha256": copy.sha256})
    return copy


def identification_opens_at(*, slot: Slot, policy: Policy) -> dt.datetime:
    """R19: identification starts the policy's minutes (at least 30) before the student's slot."""
    return slot.starts_at - dt.timedelta(minutes=policy.identification_minutes_before)


def _identification_window_check(slot: Slot) -> None:
    commission = slot.sitting.commission
    opens = identification_opens_at(slot=slot, policy=policy_for(commission))
    if timezone.now() < opens:
        local = timezone.localtime(opens, ZoneInfo(commission.institution.time_zone))
        raise ValidationError(
            _("Identification of %(name)s opens at %(time)s on %(date)s, %(minutes)s minutes before the slot.")
            % {
                "name": slot.student.full_name,
                "time": local.strftime("%H:%M"),
                "date": local.strftime("%d.%m.%Y"),
                "minutes": int((slot.starts_at - opens).total_seconds() // 60),
            },
            code="too_early",
        )


@dataclass(frozen=True)
class HowDecided:
    """How the commission decided, as the secretary records it: the members present, and unanimously or by a vote."""

    present_ids: list[int] = field(default_factory=list)
    method: str = ""
    votes_for: int | None = None
    votes_against: int = 0


def commission_decision_record(*, slot: Slot, subject: str, outcome: str, how: HowDecided, actor) -> CommissionDecision:
    """R20, R24: the commission decides — with its quorum present, unanimously or by more votes for than against;
    who was present and the count are recorded with the decision (and audited), never one person's click alone."""
    sitting = slot.sitting
    voting = {
        m.pk: m
        for m in Membership.objects.filter(commission_id=sitting.commission_id)
        .exclude(role=Membership.Role.SECRETARY)
        .select_related("user")
    }
    try:
        present = {int(pk) for pk in how.present_ids}
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Mark the members present at the decision."), code="present") from exc
    if present - set(voting):
        raise ValidationError(_("Only the chair and members of this commission take part in its decision."), code="present")
    needed = sitting_quorum(sitting=sitting).needed
    if len(present) < max(needed, 1):
        raise ValidationError(
            _(
                "The commission decides with its quorum: at least %(needed)s of its %(voting)s members present; "
                "%(present)s are marked."
            )
            % {"needed": needed, "voting": len(voting), "present": len(present)},
            code="quorum",
        )
    if how.method == CommissionDecision.Method.UNANIMOUS:
        votes_for, votes_against = len(present), 0
    elif how.method == CommissionDecision.Method.VOTE:
        votes_for, votes_against = how.votes_for or 0, how.votes_against or 0
        if votes_for < 0 or votes_against < 0 or votes_for + votes_against > len(present):
            raise ValidationError(
                _("%(votes)s votes counted, but %(present)s members are present.")
                % {"votes": votes_for + votes_against, "present": len(present)},
                code="votes",
            )
        if votes_for <= votes_against:
            raise ValidationError(
                _("The decision is not taken: it needs more votes for than against (%(for)s for, %(against)s against).")
                % {"for": votes_for, "against": votes_against},
                code="no_majority",
            )
    else:
        raise ValidationError(_("Say how the commission decided: unanimously or by a vote."), code="method")
    decision = CommissionDecision.objects.create(
        slot=slot,
        subject=subject,
        outcome=outcome,
        method=how.method,
        votes_for=votes_for,
        votes_against=votes_against,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    decision.present.set(sorted(present))
    audit_record(
        actor=actor,
        verb="commission.decide",
        obj=decision,
        after={
            "slot": slot.pk,
            "subject": subject,
            "outcome": outcome,
            "present": sorted(present),
            "method": how.method,
            "for": votes_for,
            "against": votes_against,
        },
    )
    return decision


def members_not_identified(*, sitting: Sitting) -> list[Membership]:
    """R19: the chair and members not yet identified by the department head for this sitting (those recorded absent
    are not waited for)."""
    done = set(MemberIdentification.objects.filter(sitting=sitting).values_list("membership_id", flat=True))
    absent = set(sitting.attendance.filter(present=False).values_list("membership_id", flat=True))
    members = (
        Membership.objects.filter(commission_id=sitting.commission_id)
        .exclude(role=Membership.Role.SECRETARY)
        .exclude(pk__in=done | absent)
        .select_related("user")
        .order_by("role", "user__last_name")
    )
    return list(members)


@transaction.atomic
def identification_record(
    *,
    slot: Slot,
    face_matches: bool,
    stated_name_and_group: bool,
    showed_original: bool,
    actor,
    without_copy: HowDecided | None = None,
) -> Identification:
    """The checklist passed in full moves the attempt to "identified"; anything less is refused with the reason.
    R19's order: the chair and members are identified by the department head first; the face is compared with the
    student's ID copy — or, where the policy says so, with the identification system, or, for this student, without
    a copy when the commission so decides (`without_copy`: how it decided, recorded)."""
    policy = policy_for(slot.sitting.commission)
    id_copy = slot.student.id_copies.order_by("-uploaded_at").first()
    missing = [
        label
        for ok, label in [
            (face_matches, _("the face matches the ID copy")),
            (stated_name_and_group, _("stated full name and group")),
            (showed_original, _("showed the original ID")),
        ]
        if not ok
    ]
    if missing:
        raise ValidationError(_("Not identified: %(missing)s.") % {"missing": "; ".join(missing)}, code="incomplete")
    _identification_window_check(slot)
    unidentified = members_not_identified(sitting=slot.sitting)
    if unidentified:
        raise ValidationError(
            _("Students are identified after the department head has identified the chair and members: %(names)s not yet.")
            % {"names": ", ".join(m.user.display_name for m in unidentified)},
            code="members_first",
        )
    exception = None
    if id_copy is None and not policy.identification_by_id_system:
        if without_copy is None:
            raise ValidationError(
                _(
                    "%(name)s has not uploaded an ID copy: the face is compared with the copy. Identify without "
                    "it only if the commission so decides, and record its decision."
                )
                % {"name": slot.student.full_name},
                code="no_id_copy",
            )
        exception = commission_decision_record(
            slot=slot,
            subject=CommissionDecision.Subject.IDENTIFICATION,
            outcome="identify",
            how=without_copy,
            actor=actor,
        )
    attempt = exam_services.attempt_for_slot(slot=slot)
    exam_services.attempt_transition(attempt=attempt, to_state=S.IDENTIFIED, actor=actor)
    identification = Identification.objects.create(
        slot=slot,
        id_copy=id_copy,
        face_matches=True,
        stated_name_and_group=True,
        showed_original=True,
        by_id_system=id_copy is None and policy.identification_by_id_system,
        exception=exception,
        by=actor,
        at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="identification.record",
        obj=identification,
        after={
            "slot": slot.pk,
            "id_copy": id_copy.pk if id_copy else None,
            "exception": exception.pk if exception else None,
        },
    )
    return identification


def room_check_before_admission(*, attempt: Attempt) -> str | None:
    """R20: after identification the room is checked, and only then is the student admitted."""
    check = RoomCheck.objects.filter(slot_id=attempt.slot_id).first()
    if check is None:
        return _("Check the room first: identification, then the room check, then admission.")
    if check.refused:
        return _("The student refused the room check; the commission decides.")
    return None


def room_check_grading_refusal(*, slot: Slot) -> str | None:
    """R20: a refusal of the room check stops the attestation: the student was not examined in this slot, so the
    members do not grade them (nor vote on the degree), whatever the commission then decides."""
    check = RoomCheck.objects.filter(slot_id=slot.pk, refused=True).only("decision").first()
    if check is None:
        return None
    student = slot.student
    if check.decision == RoomCheck.Decision.END:
        return _(
            "%(student)s is not graded: the student refused the room check and the commission ended the attestation, "
            "so there is no examination to grade."
        ) % {"student": student}
    if check.decision == RoomCheck.Decision.SUSPEND:
        return _(
            "%(student)s is not graded here: the student refused the room check and the commission suspended the "
            "attestation; the student sits on another date."
        ) % {"student": student}
    return _(
        "%(student)s is not graded: the attestation was stopped when the student refused the room check, and the "
        "commission has not yet decided to suspend or end it."
    ) % {"student": student}


@transaction.atomic
def room_check_record(
    *, slot: Slot, alone: bool, devices_ok: bool, room_shown: bool, refused: bool, note: str, actor
) -> RoomCheck:
    """R20: a passed check is recorded; a refusal stops the attestation and asks the commission to decide."""
    attempt = exam_services.attempt_for_slot(slot=slot)
    if attempt.state != S.IDENTIFIED:
        raise ValidationError(_("The room is checked after identification and before admission."), code="order")
    if not refused and not (alone and devices_ok and room_shown):
        raise ValidationError(
            _("Every item of the room check must hold, or record that the student refused."), code="incomplete"
        )
    if RoomCheck.objects.filter(slot=slot).exists():
        raise ValidationError(_("The room check is already recorded."), code="duplicate")
    check = RoomCheck.objects.create(
        slot=slot,
        alone=alone,
        devices_ok=devices_ok,
        room_shown=room_shown,
        refused=refused,
        note=note[:500],
        by=actor,
        at=timezone.now(),
        decision=RoomCheck.Decision.PENDING if refused else RoomCheck.Decision.NONE,
    )
    if refused:
        exam_services.attempt_transition(
            attempt=attempt, to_state=S.STOPPED, actor=actor, note=_("Refused the room check; the commission decides.")
        )
    audit_record(actor=actor, verb="room_check.record", obj=check, after={"refused": refused})
    return check


@transaction.atomic
def room_check_decide(*, check: RoomCheck, decision: str, how: HowDecided, actor) -> RoomCheck:
    """The commission's decision after a refused room check: suspend (another date) or end the attestation; who was
    present and how they decided is recorded with it (R20)."""
    check = RoomCheck.objects.select_for_update().select_related("slot__sitting__commission").get(pk=check.pk)
    if check.decision != RoomCheck.Decision.PENDING:
        raise ValidationError(_("There is no pending decision on this room check."), code="not_pending")
    if decision not in (RoomCheck.Decision.SUSPEND, RoomCheck.Decision.END):
        raise ValidationError(_("Choose to suspend or to end the attestation."), code="bad_decision")
    check.commission_decision = commission_decision_record(
        slot=check.slot, subject=CommissionDecision.Subject.ROOM_CHECK, outcome=decision, how=how, actor=actor
    )
    check.decision, check.decided_by, check.decided_at = decision, actor, timezone.now()
    check.save()
    if decision == RoomCheck.Decision.SUSPEND:
        attempt = exam_services.attempt_for_slot(slot=check.slot)
        exam_services.attempt_transition(
            attempt=attempt,
            to_state=S.POSTPONED,
            actor=actor,
            note=_("Suspended by the commission after a refused room check."),
        )
    audit_record(actor=actor, verb="room_check.decide", obj=check, after={"decision": decision})
    return check


@transaction.atomic
def incident_record(
    *, slot: Slot, kind: str, note: str, actor, occurred_at: dt.datetime | None = None, screenshot=None
) -> Incident:
    """Records an incident with its time and an optional screenshot (checked like answer sheets)."""
    incident = Incident(
        slot=slot,
        kind=kind,
        note=note,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    incident.full_clean(exclude=["screenshot", "recorded_by"])
    if screenshot:
        data, incident.screenshot_kind = answer_sheet_clean(screenshot, max_bytes=SCREENSHOT_MAX_BYTES)
        incident.screenshot.save(f"incident.{incident.screenshot_kind}", ContentFile(data), save=False)
    incident.save()
    audit_record(actor=actor, verb="incident.record", obj=incident, after={"kind": kind, "slot": slot.pk})
    return incident


@transaction.atomic
def failure_act_draw_up(
    *, slot: Slot, description: str, occurred_at: dt.datetime, language: str, actor
) -> TechnicalFailureAct:
    """R23: the act is rendered as a PDF and sent the same day to every commission member (e-mail and page);
    the attempt goes to "technical failure", from where the student is offered another time."""
    if not (description or "").strip():
        raise ValidationError(_("Describe what failed."), code="empty")
    attempt = exam_services.attempt_for_slot(slot=slot)
    if attempt.state != S.TECHNICAL_FAILURE:
        exam_services.attempt_transition(attempt=attempt, to_state=S.TECHNICAL_FAILURE, actor=actor, note=description[:500])
    act = TechnicalFailureAct.objects.create(
        slot=slot,
        description=description.strip(),
        occurred_at=occurred_at,
        language=language,
        drawn_by=actor,
        drawn_at=timezone.now(),
    )
    commission = slot.sitting.commission
    members = list(commission.memberships.select_related("user").order_by("role", "user__last_name"))
    act.document = document_render(
        kind="technical_failure_act",
        template="proctoring/technical_failure_act.html",
        context={
            "act": act,
            "slot": slot,
            "commission": commission,
            "members": members,
            "institution": commission.institution,
        },
        language=language,
        about=act,
        actor=actor,
        filename=f"technical-failure-act-{act.pk}-{language}.pdf",
    )
    act.sent_at = timezone.now()
    act.save(update_fields=["document", "sent_at"])
    url = reverse("proctoring:act_pdf", args=[act.pk])
    for membership in members:
        notify(
            user=membership.user,
            kind="technical_failure_act",
            template="proctoring/email/technical_failure",
            context={"act": act, "slot": slot, "commission": commission},
            url=url,
        )
    audit_record(
        actor=actor, verb="failure_act.draw_up", obj=act, after={"slot": slot.pk, "sent_to": [m.user_id for m in members]}
    )
    return act


def later_sittings(*, act: TechnicalFailureAct):
    """The commission's sittings the student can still be given: not yet over, other than the failed one."""
    sitting = act.slot.sitting
    today = timezone.localdate(timezone=ZoneInfo(sitting.commission.institution.time_zone))
    return (
        Sitting.objects.filter(commission_id=sitting.commission_id, date__gte=max(today, sitting.date))
        .exclude(pk=sitting.pk)
        .exclude(slots__student_id=act.slot.student_id)
        .annotate(placed=Count("slots"), last_start=Max("slots__starts_at"))
        .order_by("date", "starts_at")
    )


@transaction.atomic
def failure_act_offer_slot(
    *, act: TechnicalFailureAct, sitting: Sitting, actor, starts_at: dt.datetime | None = None
) -> Slot:
    """R23: gives the student another time in a later sitting of the same commission (placed by the schedule's own
    slot_create, which keeps the sitting's hours); the act records it, the student is told, the failed attempt
    stays "technical failure"."""
    act = (
        TechnicalFailureAct.objects.select_for_update(of=("self",))
        .select_related("slot__student__user", "slot__sitting__commission__institution")
        .get(pk=act.pk)
    )
    if act.new_slot_id is not None:
        raise ValidationError(_("This act already gave the student another slot."), code="duplicate")
    if sitting.commission_id != act.slot.sitting.commission_id or sitting.pk == act.slot.sitting_id:
        raise ValidationError(_("Choose a later sitting of the same commission."), code="other_commission")
    zone = ZoneInfo(sitting.commission.institution.time_zone)
    now = timezone.now()
    if sitting.bounds(zone.key)[1] <= now:
        raise ValidationError(
            _("The sitting of %(date)s is already over: choose a later one.") % {"date": sitting.date.strftime("%d.%m.%Y")},
            code="past",
        )
    slot = commission_services.slot_create(actor=actor, sitting=sitting, student=act.slot.student, starts_at=starts_at)
    if slot.starts_at <= now:
        raise ValidationError(
            _("The slot at %(time)s has already begun: choose a later time.")
            % {"time": slot.starts_at.astimezone(zone).strftime("%H:%M")},
            code="past",
        )
    act.new_slot, act.new_slot_by, act.new_slot_at = slot, actor, now
    act.save(update_fields=["new_slot", "new_slot_by", "new_slot_at"])
    if act.slot.student.user is not None:
        notify(
            user=act.slot.student.user,
            kind="new_slot_after_failure",
            template="proctoring/email/new_slot",
            context={"act": act, "slot": slot, "commission": sitting.commission},
            url=reverse("commissions:slot", args=[slot.pk]),
        )
    audit_record(
        actor=actor, verb="failure_act.offer_slot", obj=act, after={"slot": slot.pk, "starts_at": str(slot.starts_at)}
    )
    return slot


@transaction.atomic
def interruption_request(*, slot: Slot, message: str, actor) -> Interruption:
    """The student's "my connection dropped, I ask to continue" (R24): reaches the console at once."""
    attempt = exam_services.attempt_for_slot(slot=slot)
    pending = Interruption.objects.filter(slot=slot, decision=Interruption.Decision.PENDING).first()
    if pending is not None:
        return pending
    if attempt.state not in states.LIVE:
        raise ValidationError(_("You can ask to continue while your attestation is under way."), code="not_live")
    exam_services.attempt_transition(attempt=attempt, to_state=S.INTERRUPTED, actor=actor, note=message[:500])
    try:
        with transaction.atomic():
            interruption = Interruption.objects.create(slot=slot, requested_at=timezone.now(), message=message[:500])
    except IntegrityError:
        return Interruption.objects.get(slot=slot, decision=Interruption.Decision.PENDING)
    audit_record(actor=actor, verb="interruption.request", obj=interruption, after={"slot": slot.pk})
    return interruption


@transaction.atomic
def interruption_decide(*, interruption: Interruption, decision: str, how: HowDecided, actor) -> Interruption:
    """The commission decides (R24): continue from where the student was, or stop; who was present and how they
    decided is recorded with it."""
    interruption = (
        Interruption.objects.select_for_update().select_related("slot__sitting__commission").get(pk=interruption.pk)
    )
    if interruption.decision != Interruption.Decision.PENDING:
        raise ValidationError(_("This interruption is already decided."), code="decided")
    if decision not in (Interruption.Decision.CONTINUE, Interruption.Decision.STOP):
        raise ValidationError(_("Choose to continue or to stop."), code="bad_decision")
    interruption.commission_decision = commission_decision_record(
        slot=interruption.slot, subject=CommissionDecision.Subject.INTERRUPTION, outcome=decision, how=how, actor=actor
    )
    attempt = exam_services.attempt_for_slot(slot=interruption.slot)
    to_state = attempt.resume_state if decision == Interruption.Decision.CONTINUE else S.STOPPED
    exam_services.attempt_transition(
        attempt=attempt, to_state=to_state or S.ADMITTED, actor=actor, note=_("Commission's decision on an interruption")
    )
    interruption.decision, interruption.decided_by, interruption.decided_at = decision, actor, timezone.now()
    interruption.save()
    audit_record(actor=actor, verb="interruption.decide", obj=interruption, after={"decision": decision})
    return interruption


def recording_file_clean(upload) -> str:
    """A video of the sitting: MP4 or WebM, by its content and not only its name; returns the kind."""
    name = upload.name or ""
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in RECORDING_SIGNATURES:
        raise ValidationError(
            _("%(name)s: only MP4 or WebM video files are stored here.") % {"name": name}, code="file_type"
        )
    if upload.size > RECORDING_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(RECORDING_MAX_BYTES)},
            code="file_size",
        )
    head = upload.read(16)
    upload.seek(0)
    if not RECORDING_SIGNATURES[kind](head):
        raise ValidationError(
            _("%(name)s is not really a %(kind)s video: its content does not match its name.")
            % {"name": name, "kind": kind.upper()},
            code="file_content",
        )
    return kind


def recording_keep_until_default(*, sitting: Sitting) -> dt.date:
    """The policy's retention counted from the sitting's day (R21)."""
    return sitting.date + dt.timedelta(days=policy_for(sitting.commission).recording_retention_days)


def recording_expires_at(recording: Recording) -> dt.datetime:
    """Kept through the whole keep-until day in the institution's time zone; expired from the next midnight."""
    zone = ZoneInfo(recording.sitting.commission.institution.time_zone)
    return dt.datetime.combine(recording.keep_until + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


@transaction.atomic
def recording_add(
    *, sitting: Sitting, url: str = "", keep_until: dt.date | None = None, audience: str, note: str, actor, file=None
) -> Recording:
    """R21: the link or the file of the sitting's video, who may see it and until when it is kept; the sweep
    expires it after that day. A policy's retention is a minimum: a shorter keep-until is refused."""
    if bool(url) == bool(file):
        raise ValidationError(_("Give either a link to the recording or its video file."), code="link_or_file")
    shortest = recording_keep_until_default(sitting=sitting)
    keep_until = keep_until or shortest
    if keep_until < shortest:
        raise ValidationError(
            {
                "keep_until": _(
                    "The policy keeps recordings %(days)s days after the sitting: keep this one at least until %(date)s."
                )
                % {"days": (shortest - sitting.date).days, "date": shortest.strftime("%d.%m.%Y")}
            }
        )
    recording = Recording(
        sitting=sitting,
        url=url or "",
        keep_until=keep_until,
        audience=audience,
        note=note,
        added_by=actor,
        added_at=timezone.now(),
    )
    recording.full_clean(exclude=["added_by", "file"])
    if file:
        recording.file_kind = recording_file_clean(file)
        recording.file.save(f"recording.{recording.file_kind}", file, save=False)
    recording.save()
    deadline_set(obj=recording, kind=RECORDING_EXPIRE, due_at=recording_expires_at(recording))
    audit_record(
        actor=actor,
        verb="recording.add",
        obj=recording,
        after={"url": url or "", "file": recording.file.name, "keep_until": str(keep_until)},
    )
    return recording


@transaction.atomic
def recording_expire(*, recording_pk: int, now: dt.datetime | None = None) -> bool:
    """Deletes the stored file or marks the link expired once its keep-until day is over; a second call, or one
    before the day is over, does nothing. Returns whether this call expired it."""
    now = now or timezone.now()
    recording = (
        Recording.objects.select_related("sitting__commission__institution")
        .filter(pk=recording_pk, expired_at__isnull=True)
        .first()
    )
    if recording is None or now < recording_expires_at(recording):
        return False
    claimed = Recording.objects.filter(pk=recording_pk, expired_at__isnull=True).update(expired_at=now)
    if claimed != 1:
        return False
    stored = recording.file.name
    if stored:
        # Storage deletes are not transactional: remove the file only once the expiry is committed.
        transaction.on_commit(lambda: recording.file.storage.delete(stored))
        Recording.objects.filter(pk=recording_pk).update(file="")
    audit_record(
        actor=None,
        verb="recording.expire",
        obj=recording,
        before={"url": recording.url, "file": stored, "keep_until": str(recording.keep_until)},
        after={"expired_at": now.isoformat()},
    )
    return True


@transaction.atomic
def proctor_assign(*, sitting: Sitting, user, actor, slot: Slot | None = None) -> ProctorAssignment:
    """R7: a proctor for the whole sitting, or for one student of it (then only that student's desk is reached)."""
    if slot is not None and slot.sitting_id != sitting.pk:
        raise ValidationError(_("The student is not in this sitting."), code="other_sitting")
    if commission_role(user, sitting.commission) is not None:
        raise ValidationError(_("%(name)s is on the commission and cannot be its proctor.") % {"name": user}, code="member")
    try:
        with transaction.atomic():
            assignment = ProctorAssignment.objects.create(
                sitting=sitting, slot=slot, user=user, assigned_by=actor, assigned_at=timezone.now()
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already a proctor of this sitting: remove the assignment first to change it.") % {"name": user},
            code="duplicate",
        ) from exc
    audit_record(
        actor=actor, verb="proctor.assign", obj=assignment, after={"user": user.pk, "slot": slot.pk if slot else None}
    )
    return assignment


@transaction.atomic
def proctor_remove(*, assignment: ProctorAssignment, actor) -> None:
    """Ends a proctor's assignment; from then on the person reaches nothing of the sitting."""
    before = {"user": assignment.user_id, "slot": assignment.slot_id, "sitting": assignment.sitting_id}
    deleted, _rows = ProctorAssignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        audit_record(actor=actor, verb="proctor.remove", obj=assignment.sitting, before=before)


@transaction.atomic
def member_identify(*, sitting: Sitting, membership: Membership, actor) -> MemberIdentification:
    """The department head identifies a chair or member before the sitting (R19); once per sitting."""
    if membership.commission_id != sitting.commission_id or membership.role == Membership.Role.SECRETARY:
        raise ValidationError(_("Only the chair and members of this commission are identified here."), code="role")
    try:
        with transaction.atomic():
            record = MemberIdentification.objects.create(sitting=sitting, membership=membership, by=actor, at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already identified for this sitting.") % {"name": membership.user}, code="duplicate"
        ) from exc
    audit_record(actor=actor, verb="member.identify", obj=record, after={"membership": membership.pk})
    return record
