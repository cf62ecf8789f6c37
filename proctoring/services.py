"""Writes on identification, room checks, incidents, acts, interruptions, recordings and proctors (R19-R24, R7)."""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from attestation.documents.render import document_render
from attestation.institutions.models import Student
from commissions.models import Membership, Sitting, Slot
from exams import services as exam_services
from exams import states
from exams.models import Attempt
from exams.uploads import answer_sheet_clean
from proctoring.models import (
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


@transaction.atomic
def id_copy_upload(*, student: Student, upload, actor) -> IdCopy:
    """The student's ID copy for identification (R19); checked by content and re-encoded like answer sheets."""
    data, kind = answer_sheet_clean(upload, max_bytes=ID_COPY_MAX_BYTES)
    copy = IdCopy(student=student, kind=kind, sha256=hashlib.sha256(data).hexdigest(), uploaded_at=timezone.now())
    copy.file.save(f"id.{kind}", ContentFile(data), save=False)
    copy.save()
    audit_record(actor=actor, verb="id_copy.upload", obj=copy, after={"sha256": copy.sha256})
    return copy


@transaction.atomic
def identification_record(*, slot: Slot, face_matches: bool, stated_name_and_group: bool, showed_original: bool,
                          actor) -> Identification:
    """The checklist passed in full moves the attempt to "identified"; anything less is refused with the reason."""
    missing = [label for ok, label in [
        (face_matches, _("the face matches the ID copy")),
        (stated_name_and_group, _("stated full name and group")),
        (showed_original, _("showed the original ID"))] if not ok]
    if missing:
        raise ValidationError(_("Not identified: %(missing)s.") % {"missing": "; ".join(missing)}, code="incomplete")
    attempt = exam_services.attempt_for_slot(slot=slot)
    exam_services.attempt_transition(attempt=attempt, to_state=S.IDENTIFIED, actor=actor)
    identification = Identification.objects.create(
        slot=slot, id_copy=slot.student.id_copies.order_by("-uploaded_at").first(), face_matches=True,
        stated_name_and_group=True, showed_original=True, by=actor, at=timezone.now())
    audit_record(actor=actor, verb="identification.record", obj=identification, after={"slot": slot.pk})
    return identification


@transaction.atomic
def room_check_record(*, slot: Slot, alone: bool, devices_ok: bool, room_shown: bool, refused: bool, note: str,
                      actor) -> RoomCheck:
    """R20: a passed check is recorded; a refusal stops the attestation and asks the commission to decide."""
    attempt = exam_services.attempt_for_slot(slot=slot)
    if attempt.state != S.IDENTIFIED:
        raise ValidationError(_("The room is checked after identification and before admission."), code="order")
    if not refused and not (alone and devices_ok and room_shown):
        raise ValidationError(_("Every item of the room check must hold, or record that the student refused."),
                              code="incomplete")
    if RoomCheck.objects.filter(slot=slot).exists():
        raise ValidationError(_("The room check is already recorded."), code="duplicate")
    check = RoomCheck.objects.create(
        slot=slot, alone=alone, devices_ok=devices_ok, room_shown=room_shown, refused=refused, note=note[:500],
        by=actor, at=timezone.now(), decision=RoomCheck.Decision.PENDING if refused else RoomCheck.Decision.NONE)
    if refused:
        exam_services.attempt_transition(attempt=attempt, to_state=S.STOPPED, actor=actor,
                                         note=_("Refused the room check; the commission decides."))
    audit_record(actor=actor, verb="room_check.record", obj=check, after={"refused": refused})
    return check


@transaction.atomic
def room_check_decide(*, check: RoomCheck, decision: str, actor) -> RoomCheck:
    """The commission's decision after a refused room check: suspend (another date) or end the attestation."""
    check = RoomCheck.objects.select_for_update().select_related("slot").get(pk=check.pk)
    if check.decision != RoomCheck.Decision.PENDING:
        raise ValidationError(_("There is no pending decision on this room check."), code="not_pending")
    if decision not in (RoomCheck.Decision.SUSPEND, RoomCheck.Decision.END):
        raise ValidationError(_("Choose to suspend or to end the attestation."), code="bad_decision")
    check.decision, check.decided_by, check.decided_at = decision, actor, timezone.now()
    check.save()
    if decision == RoomCheck.Decision.SUSPEND:
        attempt = exam_services.attempt_for_slot(slot=check.slot)
        exam_services.attempt_transition(attempt=attempt, to_state=S.POSTPONED, actor=actor,
                                         note=_("Suspended by the commission after a refused room check."))
    audit_record(actor=actor, verb="room_check.decide", obj=check, after={"decision": decision})
    return check


@transaction.atomic
def incident_record(*, slot: Slot, kind: str, note: str, actor, occurred_at: dt.datetime | None = None,
                    screenshot=None) -> Incident:
    """Records an incident with its time and an optional screenshot (checked like answer sheets)."""
    incident = Incident(slot=slot, kind=kind, note=note, occurred_at=occurred_at or timezone.now(),
                        recorded_by=actor, recorded_at=timezone.now())
    incident.full_clean(exclude=["screenshot", "recorded_by"])
    if screenshot:
        data, incident.screenshot_kind = answer_sheet_clean(screenshot, max_bytes=SCREENSHOT_MAX_BYTES)
        incident.screenshot.save(f"incident.{incident.screenshot_kind}", ContentFile(data), save=False)
    incident.save()
    audit_record(actor=actor, verb="incident.record", obj=incident, after={"kind": kind, "slot": slot.pk})
    return incident


@transaction.atomic
def failure_act_draw_up(*, slot: Slot, description: str, occurred_at: dt.datetime, language: str,
                        actor) -> TechnicalFailureAct:
    """R23: the act is rendered as a PDF and sent the same day to every commission member (e-mail and page);
    the attempt goes to "technical failure", from where the student is offered another time."""
    if not (description or "").strip():
        raise ValidationError(_("Describe what failed."), code="empty")
    attempt = exam_services.attempt_for_slot(slot=slot)
    if attempt.state != S.TECHNICAL_FAILURE:
        exam_services.attempt_transition(attempt=attempt, to_state=S.TECHNICAL_FAILURE, actor=actor,
                                         note=description[:500])
    act = TechnicalFailureAct.objects.create(slot=slot, description=description.strip(), occurred_at=occurred_at,
                                             language=language, drawn_by=actor, drawn_at=timezone.now())
    commission = slot.sitting.commission
    members = list(commission.memberships.select_related("user").order_by("role", "user__last_name"))
    act.document = document_render(
        kind="technical_failure_act", template="proctoring/technical_failure_act.html",
        context={"act": act, "slot": slot, "commission": commission, "members": members,
                 "institution": commission.institution},
        language=language, about=act, actor=actor, filename=f"technical-failure-act-{act.pk}-{language}.pdf")
    act.sent_at = timezone.now()
    act.save(update_fields=["document", "sent_at"])
    url = reverse("proctoring:act_pdf", args=[act.pk])
    for membership in members:
        notify(user=membership.user, kind="technical_failure_act", template="proctoring/email/technical_failure",
               context={"act": act, "slot": slot, "commission": commission}, url=url)
    audit_record(actor=actor, verb="failure_act.draw_up", obj=act,
                 after={"slot": slot.pk, "sent_to": [m.user_id for m in members]})
    return act


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
def interruption_decide(*, interruption: Interruption, decision: str, actor) -> Interruption:
    """The commission decides: continue from where the student was, or stop."""
    interruption = Interruption.objects.select_for_update().select_related("slot").get(pk=interruption.pk)
    if interruption.decision != Interruption.Decision.PENDING:
        raise ValidationError(_("This interruption is already decided."), code="decided")
    if decision not in (Interruption.Decision.CONTINUE, Interruption.Decision.STOP):
        raise ValidationError(_("Choose to continue or to stop."), code="bad_decision")
    attempt = exam_services.attempt_for_slot(slot=interruption.slot)
    to_state = attempt.resume_state if decision == Interruption.Decision.CONTINUE else S.STOPPED
    exam_services.attempt_transition(attempt=attempt, to_state=to_state or S.ADMITTED, actor=actor,
                                     note=_("Commission's decision on an interruption"))
    interruption.decision, interruption.decided_by, interruption.decided_at = decision, actor, timezone.now()
    interruption.save()
    audit_record(actor=actor, verb="interruption.decide", obj=interruption, after={"decision": decision})
    return interruption


@transaction.atomic
def recording_add(*, sitting: Sitting, url: str, keep_until: dt.date, audience: str, note: str, actor) -> Recording:
    recording = Recording(sitting=sitting, url=url, keep_until=keep_until, audience=audience, note=note,
                          added_by=actor, added_at=timezone.now())
    recording.full_clean(exclude=["added_by"])
    if keep_until < sitting.date:
        raise ValidationError({"keep_until": _("A recording cannot be deleted before the sitting took place.")})
    recording.save()
    audit_record(actor=actor, verb="recording.add", obj=recording, after={"url": url, "keep_until": str(keep_until)})
    return recording


@transaction.atomic
def proctor_assign(*, sitting: Sitting, user, actor, slot: Slot | None = None) -> ProctorAssignment:
    if slot is not None and slot.sitting_id != sitting.pk:
        raise ValidationError(_("The student is not in this sitting."), code="other_sitting")
    try:
        with transaction.atomic():
            assignment = ProctorAssignment.objects.create(sitting=sitting, slot=slot, user=user, assigned_by=actor,
                                                          assigned_at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError(_("This person is already a proctor of the sitting."), code="duplicate") from exc
    audit_record(actor=actor, verb="proctor.assign", obj=assignment, after={"user": user.pk})
    return assignment


@transaction.atomic
def member_identify(*, sitting: Sitting, membership: Membership, actor) -> MemberIdentification:
    """The department head identifies a chair or member before the sitting (R19); once per sitting."""
    if membership.commission_id != sitting.commission_id or membership.role == Membership.Role.SECRETARY:
        raise ValidationError(_("Only the chair and members of this commission are identified here."), code="role")
    try:
        with transaction.atomic():
            record = MemberIdentification.objects.create(sitting=sitting, membership=membership, by=actor,
                                                         at=timezone.now())
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s is already identified for this sitting.")
                              % {"name": membership.user}, code="duplicate") from exc
    audit_record(actor=actor, verb="member.identify", obj=record, after={"membership": membership.pk})
    return record
