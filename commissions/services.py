"""Writes on commissions, members, sittings and the schedule."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.grading.scale import INCOMPLETE
from attestation.institutions.models import Institution, Policy, Student
from attestation.institutions.policies import policy_for
from attestation.institutions.services import structure_dependents
from attestation.workcal.calendar import is_working_day, months_before
from commissions.extensions import scheduling_refusal
from commissions.models import Commission, Membership, Result, Sitting, Slot

SLOT_REMINDER = "slot_reminder"


# A commission's settings that start as its policy's values: commission field → policy field.
FROM_POLICY = {
    "vote_mode": "degree_vote_mode",
    "quorum_numerator": "quorum_numerator",
    "quorum_denominator": "quorum_denominator",
    "honours_min_gpa": "honours_min_gpa",
    "honours_min_discipline_gpa": "honours_min_discipline_gpa",
    "honours_min_attestation_gpa": "honours_min_attestation_gpa",
}


def commission_defaults(policy: Policy) -> dict:
    """The values a new commission copies from the policy of its academic year; later policy changes leave it be."""
    return {field: getattr(policy, source) for field, source in FROM_POLICY.items()}


def _check_approval_order(commission: Commission, policy: Policy) -> None:
    """A college's commission is approved by order at least the policy's months before the attestation (R10)."""
    if commission.institution.kind != Institution.Kind.TVET:
        return
    latest = months_before(commission.period_start, policy.commission_approval_months)
    if commission.order_date > latest:
        raise ValidationError(
            {
                "order_date": _(
                    "The order of %(order)s is too late: a college's commission must be approved by %(date)s, "
                    "%(months)s month(s) before the attestation starts on %(start)s."
                )
                % {
                    "order": commission.order_date.strftime("%d.%m.%Y"),
                    "date": latest.strftime("%d.%m.%Y"),
                    "months": policy.commission_approval_months,
                    "start": commission.period_start.strftime("%d.%m.%Y"),
                }
            }
        )


@transaction.atomic
def commission_create(*, actor, institution: Institution, programmes, **fields) -> Commission:
    """Creates a commission with the vote mode, quorum and honours thresholds of its year's policy unless given;
    a college's order must come at least the policy's months before the period (R10)."""
    commission = Commission(institution=institution, **fields)
    commission.full_clean(exclude=[name for name in FROM_POLICY if name not in fields])
    policy = policy_for(commission)
    for name, value in commission_defaults(policy).items():
        if name not in fields:  # the chair or the department head may change them afterwards
            setattr(commission, name, value)
    commission.full_clean()
    _check_approval_order(commission, policy)
    commission.save()
    commission.programmes.set(programmes)
    audit_record(
        actor=actor,
        verb="commission.create",
        obj=commission,
        after={
            "order": commission.order_number,
            "programmes": [p.pk for p in programmes],
            **{name: str(getattr(commission, name)) for name in FROM_POLICY},
        },
    )
    return commission


SETTINGS_FIELDS = tuple(FROM_POLICY)  # the settings a commission starts with from its policy are the ones it edits


@transaction.atomic
def commission_settings_update(*, actor, commission: Commission, **changes) -> Commission:
    """The chair or the department head sets the commission's degree-vote mode (R34), its quorum and the honours
    thresholds; the old and new values go to the audit trail."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a commission setting: {sorted(unknown)}")
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    before = {name: str(getattr(commission, name)) for name in changes}
    for name, value in changes.items():
        setattr(commission, name, value)
    commission.full_clean()
    commission.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        verb="commission.settings",
        obj=commission,
        before=before,
        after={name: str(getattr(commission, name)) for name in changes},
    )
    return commission


@transaction.atomic
def membership_add(*, actor, commission: Commission, user, role: str, position: str = "") -> Membership:
    membership = Membership(commission=commission, user=user, role=role, position=position)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise ValidationError(_("This person is already on the commission, or it already has a chair.")) from exc
    audit_record(actor=actor, verb="membership.add", obj=membership, after={"user": user.pk, "role": role})
    return membership


def _sitting_day_minutes(commission: Commission, date: dt.date, exclude_pk=None) -> int:
    sittings = Sitting.objects.filter(commission=commission, date=date).exclude(pk=exclude_pk)
    return sum(s.minutes for s in sittings)


@transaction.atomic
def sitting_create(
    *,
    actor,
    commission: Commission,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    mode: str = Sitting.Mode.ONLINE,
    meeting_url: str = "",
) -> Sitting:
    """Creates a sitting on a working day of the commission's attestation period (R50); the commission's sittings of
    one day may not exceed the policy's hours (R11). Every path that adds a sitting comes here: the pages, the
    planner's publishing, the next sitting day of a missed exam, the demo."""
    sitting = Sitting(
        commission=commission, date=date, starts_at=starts_at, ends_at=ends_at, mode=mode, meeting_url=meeting_url
    )
    sitting.full_clean(validate_constraints=False)
    refusal = sitting_day_refusal(commission=commission, day=sitting.date)
    if refusal:
        raise ValidationError({"date": refusal})
    if sitting.ends_at <= sitting.starts_at:
        raise ValidationError({"ends_at": _("The sitting must end after it starts.")})
    # Lock the commission row so two secretaries adding sittings at once cannot both pass the check.
    Commission.objects.select_for_update().filter(pk=commission.pk).first()
    limit = policy_for(commission).sitting_max_hours
    total = _sitting_day_minutes(commission, date) + sitting.minutes
    if Decimal(total) > limit * 60:
        raise ValidationError(
            {
                "ends_at": _(
                    "The commission would sit %(hours)s h on %(date)s; the policy allows at most %(limit)s h a day."
                )
                % {"hours": round(total / 60, 1), "date": date.strftime("%d.%m.%Y"), "limit": limit}
            }
        )
    sitting.save()
    audit_record(actor=actor, verb="sitting.create", obj=sitting, after={"date": str(date), "minutes": sitting.minutes})
    return sitting


def slot_duration(policy: Policy, commission: Commission) -> int:
    return policy.defense_total_minutes if commission.form == Commission.Form.DEFENSE else policy.slot_minutes


def retake_refusal(*, student: Student, commission: Commission) -> str | None:
    """R40: a student with a grade of this commission's attestation (other than the temporary "I") sits no more in
    it — no retake to improve a grade, and an unsatisfactory grade is not retaken in the same period."""
    graded = (
        Result.objects.filter(slot__student=student, slot__sitting__commission=commission).exclude(letter=INCOMPLETE).first()
    )
    if graded is None:
        return None
    return _(
        "%(student)s already has the grade %(letter)s in this attestation: it is not retaken to improve it, "
        "and an unsatisfactory grade is not retaken in the same period."
    ) % {"student": student, "letter": graded.letter}


def _fmt(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def sitting_day_refusal(*, commission: Commission, day: dt.date) -> str | None:
    """Why the commission cannot sit on `day`: outside its attestation period, or not a working day of its
    institution's calendar (weekends, holidays, the decrees' transfers and the institution's own days, R50)."""
    if not commission.period_start <= day <= commission.period_end:
        return _("The commission cannot sit on %(date)s: it is outside its attestation period, %(start)s to %(end)s.") % {
            "date": _fmt(day),
            "start": _fmt(commission.period_start),
            "end": _fmt(commission.period_end),
        }
    if not is_working_day(day, commission.institution_id):
        return _(
            "The commission cannot sit on %(date)s: it is a day off in the institution's calendar "
            "(a weekend, a public holiday or a transferred day off)."
        ) % {"date": _fmt(day)}
    return None


def next_sitting_refusal(*, commission: Commission, day: dt.date, after: dt.date) -> str | None:
    """R41: the day a student who missed for a valid reason sits is the commission's next sitting day — a working
    day inside the attestation period, after `after` (the missed day, or today), with no sitting day between."""
    if day <= after:
        return _("Choose a sitting day after %(date)s.") % {"date": _fmt(after)}
    refusal = sitting_day_refusal(commission=commission, day=day)
    if refusal:
        return refusal
    earlier = Sitting.objects.filter(commission=commission, date__gt=after, date__lt=day).order_by("date").first()
    if earlier is not None:
        return _("The commission's next sitting day is %(date)s: the student sits then.") % {"date": _fmt(earlier.date)}
    return None


@transaction.atomic
def slot_create(
    *,
    actor,
    sitting: Sitting,
    student: Student,
    starts_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
) -> Slot:
    """Places a student in a sitting (after the last slot by default) and sets the day-before reminder (R12).
    A longer slot than the policy's may be given (an accommodation's extra time), never a shorter one."""
    commission = sitting.commission
    Sitting.objects.select_for_update().filter(pk=sitting.pk).first()
    if not commission.programmes.filter(pk=student.group.programme_id).exists():
        raise ValidationError(_("%(student)s studies a programme this commission does not examine.") % {"student": student})
    refusal = retake_refusal(student=student, commission=commission) or scheduling_refusal(
        student=student, commission=commission
    )
    if refusal:
        raise ValidationError(refusal)  # only students admitted to the defense are scheduled (R16)
    policy = policy_for(commission)
    duration = slot_duration(policy, commission)
    if duration_minutes is not None:
        if duration_minutes < duration:
            raise ValidationError(_("A slot takes at least %(minutes)s minutes under the policy.") % {"minutes": duration})
        duration = duration_minutes
    opens, closes = sitting.bounds(commission.institution.time_zone)
    if starts_at is None:
        last = sitting.slots.aggregate(last=Max("starts_at"))["last"]
        starts_at = opens if last is None else last + dt.timedelta(minutes=duration)
    if starts_at < opens or starts_at + dt.timedelta(minutes=duration) > closes:
        raise ValidationError(
            _("The slot at %(time)s does not fit in the sitting %(sitting)s.")
            % {"time": starts_at.astimezone(opens.tzinfo).strftime("%H:%M"), "sitting": sitting}
        )
    if Slot.objects.filter(sitting=sitting, student=student).exists():
        raise ValidationError(_("%(student)s already has a place in this sitting.") % {"student": student})
    slot = Slot.objects.create(sitting=sitting, student=student, starts_at=starts_at, duration_minutes=duration)
    deadline_set(obj=slot, kind=SLOT_REMINDER, due_at=starts_at - dt.timedelta(days=policy.reminder_days_before))
    audit_record(actor=actor, verb="slot.create", obj=slot, after={"student": student.pk, "start": str(starts_at)})
    return slot


@transaction.atomic
def schedule_fill(*, actor, sitting: Sitting, students: list[Student]) -> list[Slot]:
    """Places the students one after another in the sitting; all of them, or none if one does not fit."""
    return [slot_create(actor=actor, sitting=sitting, student=s) for s in students]


# --- forming a commission in the portal: the order, the programmes and the people -------------------------------------

# The fields of the approving order and the period that the department head or the administrator edits.
ORDER_FIELDS = ("kind", "form", "period", "name_kk", "name_ru", "name_en", "order_number", "order_date")


def _apply_period(fields: dict) -> dict:
    """The commission's dates and academic year are its attestation period's."""
    period = fields.get("period")
    if period is not None:
        fields = {**fields, "academic_year": period.academic_year}
        fields.update(period_start=period.starts_on, period_end=period.ends_on)
    return fields


@transaction.atomic
def commission_update(*, actor, commission: Commission, programmes, **fields) -> Commission:
    """Changes the order, period, programmes or names of a commission, with R10 checked again."""
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise ValueError(f"Not a commission field: {sorted(unknown)}")
    commission = Commission.objects.select_for_update().select_related("institution").get(pk=commission.pk)
    before = {name: str(getattr(commission, name)) for name in (*fields, "period_start", "period_end")}
    for name, value in _apply_period(fields).items():
        setattr(commission, name, value)
    commission.full_clean()
    _check_approval_order(commission, policy_for(commission))
    commission.save()
    commission.programmes.set(programmes)
    after = {name: str(getattr(commission, name)) for name in before}
    audit_record(actor=actor, verb="commission.update", obj=commission, before=before, after=after)
    return commission


def _desired_roles(*, chair, members, secretary) -> dict:
    """user → role; a person has one place on the commission."""
    desired: dict = {}
    for user, role in [(chair, Membership.Role.CHAIR), (secretary, Membership.Role.SECRETARY)] + [
        (m, Membership.Role.MEMBER) for m in members
    ]:
        if user is None:
            continue
        if user.pk in desired and desired[user.pk][1] != role:
            raise ValidationError(
                _("%(person)s cannot be both %(first)s and %(second)s.")
                % {
                    "person": user,
                    "first": Membership.Role(desired[user.pk][1]).label,
                    "second": Membership.Role(role).label,
                }
            )
        desired[user.pk] = (user, role)
    return desired


@transaction.atomic
def commission_compose(*, actor, commission: Commission, chair, members, secretary) -> list[Membership]:
    """Makes the commission's people the chair, members and secretary given: adds the new, changes roles, and
    removes those left out — unless a removed person has already graded, voted or signed, which is refused by name."""
    Commission.objects.select_for_update().filter(pk=commission.pk).first()
    desired = _desired_roles(chair=chair, members=members, secretary=secretary)
    existing = {m.user_id: m for m in commission.memberships.select_related("user")}
    for user_id in set(existing) - set(desired):
        membership = existing.pop(user_id)
        dependents = structure_dependents(membership)  # present at a sitting, graded, voted, signed
        if dependents:
            raise ValidationError(
                _("%(person)s cannot be taken off the commission: the commission's records name them (%(what)s).")
                % {"person": membership.user, "what": "; ".join(dependents)}
            )
        membership.delete()
        audit_record(actor=actor, verb="membership.remove", obj=commission, before={"user": user_id})
    # Roles change with the chair last, so the one-chair constraint never sees two chairs.
    changed = sorted(
        (m for uid, m in existing.items() if m.role != desired[uid][1]), key=lambda m: desired[m.user_id][1] == "chair"
    )
    for membership in changed:
        before = membership.role
        membership.role = desired[membership.user_id][1]
        membership.save(update_fields=["role"])
        audit_record(
            actor=actor, verb="membership.role", obj=membership, before={"role": before}, after={"role": membership.role}
        )
    for user_id, (user, role) in desired.items():
        if user_id not in existing:
            membership_add(actor=actor, commission=commission, user=user, role=role)
    return list(commission.memberships.all())


@transaction.atomic
def commission_appoint(*, actor, institution: Institution, programmes, chair, members, secretary, **fields) -> Commission:
    """A commission formed in the portal: the order (R10 for colleges) and its people, all or nothing."""
    commission = commission_create(actor=actor, institution=institution, programmes=programmes, **_apply_period(fields))
    commission_compose(actor=actor, commission=commission, chair=chair, members=members, secretary=secretary)
    return commission


@transaction.atomic
def commission_revise(*, actor, commission: Commission, programmes, chair, members, secretary, **fields) -> Commission:
    """Changes the order, the programmes and the people of a commission, all or nothing."""
    commission = commission_update(actor=actor, commission=commission, programmes=programmes, **fields)
    commission_compose(actor=actor, commission=commission, chair=chair, members=members, secretary=secretary)
    return commission
