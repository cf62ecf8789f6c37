"""Reads for proctoring records, scoped to who may see them (personal data: R9)."""

from django.db.models import F
from django.http import Http404

from attestation.institutions.policies import policy_for
from commissions.case_file import reads_case_file
from commissions.models import Membership, Sitting, Slot
from commissions.permissions import commission_role, heads_commission_department
from exams import permissions as exam_permissions
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


def pending_for_sitting(*, sitting: Sitting) -> dict:
    """What waits for the commission right now: interruption requests and refused room checks."""
    return {
        "interruptions": list(
            Interruption.objects.filter(slot__sitting=sitting, decision=Interruption.Decision.PENDING)
            .select_related("slot__student")
            .order_by("requested_at")
        ),
        "room_checks": list(
            RoomCheck.objects.filter(slot__sitting=sitting, decision=RoomCheck.Decision.PENDING)
            .select_related("slot__student")
            .order_by("at")
        ),
    }


def members_identification(*, sitting: Sitting) -> list[dict]:
    """The chair and members with who identified them for this sitting, if anyone has yet."""
    done = {m.membership_id: m for m in MemberIdentification.objects.filter(sitting=sitting).select_related("by")}
    members = sitting.commission.memberships.exclude(role=Membership.Role.SECRETARY).select_related("user")
    return [{"membership": m, "record": done.get(m.pk)} for m in members.order_by("role", "user__last_name")]


def decision_members(*, sitting: Sitting) -> list[dict]:
    """The chair and members for a decision form, each checked when recorded present (all when not recorded yet)."""
    marked = dict(sitting.attendance.values_list("membership_id", "present"))
    members = sitting.commission.memberships.exclude(role=Membership.Role.SECRETARY).select_related("user")
    return [{"membership": m, "present": marked.get(m.pk, not marked)} for m in members.order_by("role", "user__last_name")]


def desk_records(*, slot: Slot) -> dict:
    policy = policy_for(slot.sitting.commission)
    return {
        "by_id_system": policy.identification_by_id_system,
        "id_copy": IdCopy.objects.filter(student=slot.student).order_by("-uploaded_at").first(),
        "identification": Identification.objects.filter(slot=slot).select_related("by").first(),
        "room_check": RoomCheck.objects.filter(slot=slot).first(),
        "incidents": list(Incident.objects.filter(slot=slot).select_related("recorded_by").order_by("occurred_at")),
        "acts": list(TechnicalFailureAct.objects.filter(slot=slot).order_by("-drawn_at")),
        "interruptions": list(Interruption.objects.filter(slot=slot).order_by("-requested_at")),
    }


def id_copy_get_for_user(*, user, pk: int) -> IdCopy:
    """The ID copy: its student, or the secretary of a sitting the student is in. Nobody else (R9)."""
    copy = IdCopy.objects.select_related("student").filter(pk=pk).first()
    if copy is None:
        raise Http404
    if copy.student.user_id == user.pk:
        return copy
    for slot in Slot.objects.filter(student=copy.student).select_related("sitting__commission"):
        if exam_permissions.can_run_sitting(user, slot.sitting):
            return copy
    raise Http404


def act_get_for_user(*, user, pk: int) -> TechnicalFailureAct:
    act = (
        TechnicalFailureAct.objects.select_related(
            "slot__student", "slot__sitting__commission__institution", "document", "new_slot__sitting", "new_slot_by"
        )
        .filter(pk=pk)
        .first()
    )
    if act is None:
        raise Http404
    if (
        act.slot.student.user_id == user.pk
        or exam_permissions.can_watch_slot(user, act.slot)
        or reads_case_file(user, act.slot)  # the appeal commission reading the case file (R48)
    ):
        return act
    raise Http404


def recordings_for_user(*, user, sitting: Sitting):
    """Recordings the person may see: the commission for 'commission' ones, the department head for all."""
    if heads_commission_department(user, sitting.commission):
        return sitting.recordings.order_by("added_at")
    if commission_role(user, sitting.commission) is not None:
        return sitting.recordings.filter(audience=Recording.Audience.COMMISSION).order_by("added_at")
    return sitting.recordings.none()


def recording_get_for_user(*, user, pk: int) -> Recording:
    """One stored recording file, for who may see it by its audience; expired or foreign ones are 404."""
    recording = Recording.objects.select_related("sitting__commission").filter(pk=pk, expired_at__isnull=True).first()
    if recording is None:
        raise Http404
    if recordings_for_user(user=user, sitting=recording.sitting).filter(pk=pk).exists():
        return recording
    # The appeal commission reading a case file of the sitting (R48): a slot of it with an announced result.
    appealed = Slot.objects.filter(sitting=recording.sitting, result__isnull=False)
    if any(reads_case_file(user, slot) for slot in appealed):
        return recording
    raise Http404


def proctors_for_sitting(*, sitting: Sitting) -> list[ProctorAssignment]:
    """The sitting's proctors, whole-sitting ones first, then by the student they watch."""
    return list(
        sitting.proctors.select_related("user", "slot__student", "assigned_by").order_by(
            F("slot__starts_at").asc(nulls_first=True), "user__last_name"
        )
    )


def room_checked_slots(*, sitting: Sitting) -> set[int]:
    """The slots of the sitting whose student passed the room check (R20): one query for any number of students."""
    return set(RoomCheck.objects.filter(slot__sitting=sitting, refused=False).values_list("slot_id", flat=True))


def acts_awaiting_new_slot(*, sitting: Sitting) -> list[TechnicalFailureAct]:
    """Technical-failure acts of the sitting whose student is still to be given another time (R23)."""
    return list(
        TechnicalFailureAct.objects.filter(slot__sitting=sitting, student_offered_new_slot=True, new_slot__isnull=True)
        .select_related("slot__student")
        .order_by("drawn_at")
    )
