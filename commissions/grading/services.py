"""Writes on grades, corrections and results; each one audited."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.core.notifications import notify
from attestation.grading.scale import INCOMPLETE, Grade, Scale
from attestation.institutions.policies import policy_for
from commissions.attendance import adviser_refusal, advisers, grading_refusal, present_voting_ids
from commissions.extensions import grading_refusal_by_rules
from commissions.grading.announcement import announcement_refusal
from commissions.grading.rule import Vote, commission_grade
from commissions.grading.signals import result_announced
from commissions.models import DissentingOpinion, GradeCorrection, MemberGrade, Membership, Result, Sitting, Slot

REASON_MAX_CHARS = 2000


def scale_for(slot: Slot) -> Scale:
    return Scale.for_institution(slot.sitting.commission.institution_id, on=slot.sitting.date)


def voting_membership(*, user, slot: Slot) -> Membership:
    membership = Membership.objects.filter(commission_id=slot.sitting.commission_id, user=user).first()
    if membership is None or not membership.votes:
        raise ValidationError(_("Only the chair and the members of the commission grade; the secretary does not."))
    return membership


def not_examined_refusal(slot: Slot) -> str | None:
    """R33: a student is graded (and voted on) only after the examination is over (the slot is "finished"), and not
    when the attestation ended without one: the apps above say when (an attestation stopped at a refused room check,
    R20)."""
    refusal = grading_refusal_by_rules(slot=slot)
    if refusal:
        return refusal
    status = Slot.objects.filter(pk=slot.pk).values_list("status", flat=True).first()
    if status == Slot.Status.DONE:
        return None
    return _("%(student)s has not been examined yet: grading opens when the examination is finished.") % {
        "student": slot.student
    }


@transaction.atomic
def grade_submit(*, actor, slot: Slot, points) -> MemberGrade:
    """Records the actor's grade of the student once (R33); a second submit, even a concurrent one, is refused."""
    membership = voting_membership(user=actor, slot=slot)
    if Result.objects.filter(slot=slot, announced_at__isnull=False).exists():
        raise ValidationError(_("The results are announced; grades can no longer be given."))
    refusal = grading_refusal(sitting=slot.sitting, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="attendance")
    refusal = adviser_refusal(slot=slot, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="adviser")
    refusal = not_examined_refusal(slot)
    if refusal:
        raise ValidationError(refusal, code="not_examined")
    grade = scale_for(slot).from_points(points)
    row = MemberGrade(
        slot=slot, membership=membership, points=grade.points, letter=grade.letter, submitted_at=timezone.now()
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("You have already graded this student; only the chair can correct a grade."), code="already_graded"
        ) from exc
    audit_record(
        actor=actor, verb="grade.submit", obj=row, after={"slot": slot.pk, "points": str(row.points), "letter": row.letter}
    )
    return row


@transaction.atomic
def grade_correct(*, actor, grade: MemberGrade, points, reason: str) -> GradeCorrection:
    """The chair corrects a member's grade with a reason; both values stay in the correction and the audit."""
    slot = grade.slot
    if (
        Membership.objects.filter(commission_id=slot.sitting.commission_id, user=actor, role=Membership.Role.CHAIR).first()
        is None
    ):
        raise ValidationError(_("Only the chair corrects a grade."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": _("The reason is too long: at most %(n)s characters.") % {"n": REASON_MAX_CHARS}})
    if Result.objects.filter(slot=slot, announced_at__isnull=False).exists():
        raise ValidationError(_("The results are announced; a change now goes through an appeal."))
    grade = MemberGrade.objects.select_for_update().get(pk=grade.pk)
    new = scale_for(slot).from_points(points)
    correction = GradeCorrection.objects.create(
        grade=grade,
        chair=actor,
        reason=reason.strip(),
        old_points=grade.points,
        new_points=new.points,
        created_at=timezone.now(),
    )
    before = {"points": str(grade.points), "letter": grade.letter}
    grade.points, grade.letter, grade.corrected = new.points, new.letter, True
    grade.save(update_fields=["points", "letter", "corrected"])
    audit_record(
        actor=actor,
        verb="grade.correct",
        obj=grade,
        before=before,
        after={"points": str(grade.points), "letter": grade.letter, "reason": correction.reason},
    )
    return correction


def _votes(slot: Slot) -> list[Vote]:
    grades = MemberGrade.objects.filter(slot=slot).select_related("membership")
    return [Vote(g.points, g.letter, g.membership.role == Membership.Role.CHAIR) for g in grades]


def slot_commission_grade(*, slot: Slot, tie_break: str | None = None) -> Grade:
    """The commission's grade from the grades of the voting members present; all of them must have graded."""
    voters = len(present_voting_ids(sitting=slot.sitting) - set(advisers(slot=slot)))  # advisers do not grade
    votes = _votes(slot)
    if voters == 0:
        raise ValidationError(_("The secretary has not yet recorded which members are present."))
    if len(votes) < voters:
        raise ValidationError(
            _("%(done)s of %(all)s members have graded %(student)s.")
            % {"done": len(votes), "all": voters, "student": slot.student}
        )
    rule = policy_for(slot.sitting.commission).commission_grade_rule
    return commission_grade(rule=rule, votes=votes, scale=scale_for(slot), tie_break=tie_break)


def result_apply(
    *, actor, slot: Slot, result: Result | None, grade: Grade, source: str, verb: str, decided_at=None
) -> Result:
    """The one place a grade becomes the student's result (commission, summative, appeal, cutoff): the caller has
    locked the row and checked it may change; both values go to the audit trail."""
    before = None if result is None else {"letter": result.letter, "points": str(result.points), "source": result.source}
    result = result or Result(slot=slot)
    result.points, result.letter, result.gpa = grade.points, grade.letter, grade.gpa
    result.traditional, result.source = grade.traditional, source
    result.decided_at = decided_at or timezone.now()
    result.save()
    audit_record(
        actor=actor,
        verb=verb,
        obj=result,
        before=before,
        after={"letter": result.letter, "points": str(result.points), "source": source},
    )
    return result


def _result_write(*, actor, slot: Slot, grade: Grade, source: str) -> Result:
    result = Result.objects.select_for_update().filter(slot=slot).first()
    if result is not None and result.announced_at is not None:
        raise ValidationError(_("The result of %(student)s is announced already.") % {"student": slot.student})
    return result_apply(actor=actor, slot=slot, result=result, grade=grade, source=source, verb="result.decide")


@transaction.atomic
def result_decide(*, actor, slot: Slot, tie_break: str | None = None) -> Result:
    """Writes the commission's grade as the student's result (not yet announced)."""
    return _result_write(
        actor=actor, slot=slot, grade=slot_commission_grade(slot=slot, tie_break=tie_break), source=Result.Source.COMMISSION
    )


@transaction.atomic
def result_set_incomplete(*, actor, slot: Slot) -> Result:
    """The chair records the temporary "I" (R32)."""
    return _result_write(
        actor=actor, slot=slot, grade=scale_for(slot).from_letter(INCOMPLETE), source=Result.Source.INCOMPLETE
    )


@transaction.atomic
def results_announce(*, actor, sitting: Sitting) -> list[Result]:
    """The chair announces the sitting's results (R35): each graded student gets a result, sees it at once."""
    if not Membership.objects.filter(commission_id=sitting.commission_id, user=actor, role=Membership.Role.CHAIR).exists():
        raise ValidationError(_("Only the chair announces the results."))
    now, announced = timezone.now(), []
    refusal = announcement_refusal(sitting=sitting, now=now)  # announced in the scheduled call (004 §16, §26)
    if refusal:
        raise ValidationError(refusal)
    for slot in sitting.slots.select_related("student__user", "sitting__commission").order_by("starts_at"):
        result = Result.objects.filter(slot=slot).first()
        if result is None:
            try:
                result = result_decide(actor=actor, slot=slot)
            except ValidationError:
                continue  # not fully graded or an undecided tie: announced later, separately
        if result.announced_at is None:
            result_publish(slot=slot, result=result, now=now)
            announced.append(result)
    audit_record(
        actor=actor, verb="results.announce", obj=sitting, after={"results": [r.pk for r in announced]}, about=announced
    )
    return announced


def result_publish(*, slot: Slot, result: Result, now) -> None:
    """Announces one decided result (R35): stamped, the student told, and the apps above hear of it (the appeal
    window, R47). The chair's announcement and the testing day's end (R30) both go through here."""
    Result.objects.filter(pk=result.pk).update(announced_at=now)
    result.announced_at = now
    _tell_student(slot, result)
    result_announced.send(sender=Result, result=result)


def _tell_student(slot: Slot, result: Result) -> None:
    if slot.student.user is not None:
        notify(
            user=slot.student.user,
            kind="result",
            template="commissions/email/result",
            context={"slot": slot, "result": result},
            url=reverse("commissions:slot", args=[slot.pk]),
        )


@transaction.atomic
def dissenting_opinion_record(
    *, actor, slot: Slot, text: str, subject: str = DissentingOpinion.Subject.GRADE
) -> DissentingOpinion:
    """A voting member present at the sitting records a special (dissenting) opinion on the student's grade or the
    degree decision, once per subject; the protocols print it. After the announcement it can no longer be added."""
    membership = voting_membership(user=actor, slot=slot)
    if subject not in DissentingOpinion.Subject.values:
        raise ValidationError(_("Choose what the opinion is about."))
    if not text.strip():
        raise ValidationError({"text": _("Write the opinion.")})
    if Result.objects.filter(slot=slot, announced_at__isnull=False).exists():
        raise ValidationError(_("The results are announced; an opinion can no longer be added."))
    refusal = grading_refusal(sitting=slot.sitting, membership=membership)
    if refusal:
        raise ValidationError(refusal, code="attendance")
    opinion = DissentingOpinion(
        slot=slot, membership=membership, subject=subject, text=text.strip(), created_at=timezone.now()
    )
    try:
        with transaction.atomic():
            opinion.save()
    except IntegrityError as exc:
        raise ValidationError(_("You have already recorded your opinion on this."), code="already") from exc
    audit_record(actor=actor, verb="opinion.record", obj=opinion, after={"slot": slot.pk, "subject": subject})
    return opinion
