"""Writes on appeal commissions and appeals (R8, R47-R49); every deadline on Kazakhstan's working days."""

import datetime as dt
import statistics
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals.models import Appeal, AppealAttachment, AppealCommission, AppealMember, AppealVote
from appeals.results_cache import student_results_changed
from appeals.tasks import appeal_amend_documents_task
from attestation.core.audit import audit_record
from attestation.core.deadlines import deadline_set
from attestation.core.notifications import notify
from attestation.grading.scale import Scale
from attestation.institutions.models import Staff
from attestation.institutions.policies import policy_for
from attestation.workcal.calendar import Known, working_days_end
from commissions.grading.services import result_apply
from commissions.models import Membership, Result
from commissions.papers.services import papers_amend_after_change

HEARING_WARN = "appeal_hearing_warn"
HEARING_MISSED = "appeal_hearing_missed"
ANSWER_DUE = "appeal_answer_due"
AMEND_DOCUMENTS = "appeal_amend_documents"
WINDOW_CLOSE = "appeal_window_close"


def composition_problems(*, institution, commissions, members) -> list[str]:
    """Every reason the composition breaks R8, naming the person: an empty list when it is lawful."""
    problems = []
    voters = [user for user, _role in members]
    if len(voters) % 2 == 0:
        problems.append(_("An appeal commission has an odd number of members; this one has %(n)s.") % {"n": len(voters)})
    if len({u.pk for u in voters}) != len(voters):
        problems.append(_("A person is listed twice."))
    if sum(1 for _u, role in members if role == AppealMember.Role.CHAIR) != 1:
        problems.append(_("An appeal commission has exactly one chair."))
    sitting_on = {
        m.user_id: m
        for m in Membership.objects.filter(commission__in=commissions, user__in=voters).select_related("commission")
    }
    administrative = set(
        Staff.objects.filter(institution=institution, is_administrative=True, user__in=voters).values_list(
            "user_id", flat=True
        )
    )
    for user in voters:
        if user.pk in sitting_on:
            problems.append(
                _("%(person)s sits on the attestation commission «%(commission)s» whose results this commission hears.")
                % {"person": user, "commission": sitting_on[user.pk].commission}
            )
        if user.pk in administrative:
            problems.append(
                _("%(person)s is administrative staff and may not sit on an appeal commission.") % {"person": user}
            )
    return problems


@transaction.atomic
def appeal_commission_create(
    *,
    actor,
    institution,
    academic_year: int,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    order_number: str,
    order_date: dt.date,
    commissions,
    members,
) -> AppealCommission:
    """Creates the appeal commission from the order, refusing a composition that breaks R8."""
    problems = composition_problems(institution=institution, commissions=commissions, members=members)
    if problems:
        raise ValidationError(problems)
    appeal_commission = AppealCommission.objects.create(
        institution=institution,
        academic_year=academic_year,
        name_kk=name_kk,
        name_ru=name_ru,
        name_en=name_en,
        order_number=order_number,
        order_date=order_date,
    )
    appeal_commission.commissions.set(commissions)
    AppealMember.objects.bulk_create(
        [AppealMember(appeal_commission=appeal_commission, user=user, role=role) for user, role in members]
    )
    audit_record(
        actor=actor,
        verb="appeal_commission.create",
        obj=appeal_commission,
        after={"order": order_number, "members": [u.pk for u, _r in members]},
    )
    return appeal_commission


def appeal_window_closes(
    result: Result, *, window_days: int | None = None, known: Known | None = None
) -> dt.datetime | None:
    """The end of the appeal window: the policy's working days from the announcement (R47). `window_days` is that
    policy number and `known` the calendar's overrides after the announcement when the caller has read them already
    (the results page reads both with the results)."""
    if result.announced_at is None:
        return None
    commission = result.slot.sitting.commission
    if window_days is None:
        window_days = policy_for(commission).appeal_window_working_days
    zone, institution_id = commission.institution.time_zone, commission.institution_id
    return working_days_end(result.announced_at, window_days, zone, institution_id, known)


def appeal_window_open(*, result: Result) -> None:
    """Stores the window's end as a deadline when the result is announced; the sweep closes it once (R47)."""
    closes = appeal_window_closes(result)
    if closes is not None:
        deadline_set(obj=result, kind=WINDOW_CLOSE, due_at=closes)


def _appeal_commission_for(result: Result) -> AppealCommission:
    found = AppealCommission.objects.filter(commissions=result.slot.sitting.commission_id).first()
    if found is None:
        raise ValidationError(
            _("No appeal commission is appointed for this attestation commission yet; the department has been told.")
        )
    return found


def _members(appeal_commission: AppealCommission):
    return [m.user for m in appeal_commission.members.select_related("user")]


@transaction.atomic
def appeal_file(*, actor, result: Result, reasons: str, attachments=(), now: dt.datetime | None = None) -> Appeal:
    """The student files an appeal while the window is open; the hearing is due within the policy's working days."""
    now = now or timezone.now()
    result = (
        Result.objects.select_for_update(of=("self",))
        .select_related("slot__student__user", "slot__sitting__commission__institution")
        .get(pk=result.pk)
    )
    if result.slot.student.user_id != actor.pk:
        raise ValidationError(_("Only the student whose result it is may appeal it."))
    closes = appeal_window_closes(result)
    if closes is None:
        raise ValidationError(_("The result is not announced yet."))
    if now >= closes:
        raise ValidationError(
            _("The appeal window closed on %(when)s.")
            % {"when": timezone.localtime(closes - dt.timedelta(minutes=1)).strftime("%d.%m.%Y %H:%M")}
        )
    if not reasons.strip():
        raise ValidationError({"reasons": _("Say why you appeal the result.")})
    commission = result.slot.sitting.commission
    policy = policy_for(commission)
    hearing_due = working_days_end(
        now, policy.appeal_hearing_working_days, commission.institution.time_zone, commission.institution_id
    )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                result=result,
                appeal_commission=_appeal_commission_for(result),
                reasons=reasons.strip(),
                filed_at=now,
                window_closed_at=closes,
                hearing_due_at=hearing_due,
                old_letter=result.letter,
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already appealed this result.")) from exc
    for upload in attachments:
        AppealAttachment.objects.create(appeal=appeal, file=upload, name=upload.name[:255])
    deadline_set(obj=appeal, kind=HEARING_WARN, due_at=hearing_due - dt.timedelta(days=1))
    deadline_set(obj=appeal, kind=HEARING_MISSED, due_at=hearing_due)
    audit_record(actor=actor, verb="appeal.file", obj=appeal, after={"result": result.pk})
    _tell(appeal, _members(appeal.appeal_commission), "appeals/email/filed")
    _tell(
        appeal,
        [
            m.user
            for m in Membership.objects.filter(
                commission=commission, role__in=[Membership.Role.CHAIR, Membership.Role.SECRETARY]
            ).select_related("user")
        ],
        "appeals/email/exists",
        # The attestation commission sees that an appeal exists, not the appeal: its link is the sitting's results.
        url=reverse("commissions:sitting_results", args=[appeal.result.slot.sitting_id]),
    )
    return appeal


def _tell(appeal: Appeal, users, template: str, url: str = "") -> None:
    url = url or reverse("appeals:detail", args=[appeal.pk])
    for user in users:
        notify(user=user, kind=template.rsplit("/", 1)[-1], template=template, context={"appeal": appeal}, url=url)


def _appeal_member(user, appeal: Appeal) -> AppealMember:
    member = AppealMember.objects.filter(appeal_commission_id=appeal.appeal_commission_id, user=user).first()
    if member is None:
        raise ValidationError(_("Only the appeal commission's members may do this."))
    return member


@transaction.atomic
def appeal_schedule_hearing(
    *, actor, appeal: Appeal, hearing_at: dt.datetime, url: str = "", now: dt.datetime | None = None
) -> Appeal:
    """Sets the online sitting; it must come before the hearing deadline (R48)."""
    now = now or timezone.now()
    _appeal_member(actor, appeal)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state not in (Appeal.State.FILED, Appeal.State.HEARING):
        raise ValidationError(_("The appeal is decided already."))
    if hearing_at >= appeal.hearing_due_at:
        raise ValidationError(
            {
                "hearing_at": _("The hearing must be held by %(when)s (the policy's working days).")
                % {"when": timezone.localtime(appeal.hearing_due_at - dt.timedelta(minutes=1)).strftime("%d.%m.%Y %H:%M")}
            }
        )
    if hearing_at < now - dt.timedelta(minutes=5):
        raise ValidationError({"hearing_at": _("The hearing cannot be in the past.")})
    appeal.hearing_at, appeal.hearing_url, appeal.state = hearing_at, url, Appeal.State.HEARING
    appeal.save(update_fields=["hearing_at", "hearing_url", "state"])
    audit_record(actor=actor, verb="appeal.hearing", obj=appeal, after={"at": hearing_at.isoformat(), "url": url})
    _tell(appeal, [appeal.result.slot.student.user, *_members(appeal.appeal_commission)], "appeals/email/hearing")
    return appeal


def voting_open(appeal: Appeal, *, now: dt.datetime | None = None) -> bool:
    """Votes are taken at the hearing: from its scheduled start until the appeal is decided (R48)."""
    return (
        appeal.state == Appeal.State.HEARING
        and appeal.hearing_at is not None
        and (now or timezone.now()) >= appeal.hearing_at
    )


@transaction.atomic
def appeal_vote(
    *, actor, appeal: Appeal, outcome: str, points=None, note: str = "", now: dt.datetime | None = None
) -> AppealVote:
    """A member's vote, taken at the hearing (R48): not before its scheduled start. When every member has voted,
    the majority decides and the answer goes out (R49)."""
    now = now or timezone.now()
    member = _appeal_member(actor, appeal)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != Appeal.State.HEARING:
        raise ValidationError(_("Votes are taken at the hearing."))
    if not voting_open(appeal, now=now):
        raise ValidationError(
            _("Votes are taken at the hearing; it starts at %(when)s.")
            % {"when": timezone.localtime(appeal.hearing_at).strftime("%d.%m.%Y %H:%M")}
        )
    if outcome == Appeal.Outcome.CHANGED:
        if points is None:
            raise ValidationError({"points": _("Give the points the grade should change to.")})
        _scale(appeal).from_points(points)
    try:
        with transaction.atomic():
            vote = AppealVote.objects.create(
                appeal=appeal, member=member, outcome=outcome, points=points if outcome == Appeal.Outcome.CHANGED else None
            )
    except IntegrityError as exc:
        raise ValidationError(_("You have already voted on this appeal.")) from exc
    audit_record(actor=actor, verb="appeal.vote", obj=appeal, after={"outcome": outcome})
    if appeal.votes.count() == appeal.appeal_commission.members.count():
        _decide(actor=actor, appeal=appeal, note=note)
    return vote


def _scale(appeal: Appeal) -> Scale:
    sitting = appeal.result.slot.sitting
    return Scale.for_institution(sitting.commission.institution_id, on=sitting.date)


def _decide(*, actor, appeal: Appeal, note: str) -> None:
    votes = list(appeal.votes.all())
    changed = [v for v in votes if v.outcome == Appeal.Outcome.CHANGED]
    now = timezone.now()
    commission = appeal.result.slot.sitting.commission
    policy = policy_for(commission)
    appeal.decided_at = now
    appeal.answer_due_at = working_days_end(
        now, policy.appeal_answer_working_days, commission.institution.time_zone, commission.institution_id
    )
    appeal.decision_note = note
    if len(changed) * 2 > len(votes):
        grade = _scale(appeal).from_points(Decimal(statistics.median(v.points for v in changed if v.points is not None)))
        appeal.outcome, appeal.new_points, appeal.new_letter = Appeal.Outcome.CHANGED, grade.points, grade.letter
        _result_change(actor=actor, result=appeal.result, grade=grade)
        # The deadline row is the truth: the task handles it at once, and if the broker is down the beat sweep
        # does; deadline_handle claims it once, so the amendments are made exactly once.
        amend = deadline_set(obj=appeal, kind=AMEND_DOCUMENTS, due_at=now)
        transaction.on_commit(lambda: appeal_amend_documents_task.delay(amend.pk), robust=True)
    else:
        appeal.outcome = Appeal.Outcome.UPHELD
    appeal.state = Appeal.State.DECIDED
    appeal.save()
    deadline_set(obj=appeal, kind=ANSWER_DUE, due_at=appeal.answer_due_at)
    audit_record(
        actor=actor, verb="appeal.decide", obj=appeal, after={"outcome": appeal.outcome, "new_letter": appeal.new_letter}
    )
    appeal_answer(actor=actor, appeal=appeal)


def _result_change(*, actor, result: Result, grade) -> None:
    """The appeal's new grade becomes the result; the old value stays in the audit trail and on the appeal."""
    result_apply(
        actor=actor, slot=result.slot, result=result, grade=grade, source=Result.Source.APPEAL, verb="result.appeal_change"
    )


@transaction.atomic
def appeal_answer(*, actor, appeal: Appeal) -> Appeal:
    """Sends the decision to the student (page and e-mail); claimed once."""
    sent = Appeal.objects.filter(pk=appeal.pk, state=Appeal.State.DECIDED).update(
        state=Appeal.State.ANSWERED, answered_at=timezone.now()
    )
    appeal.refresh_from_db()
    if sent == 1:
        student_results_changed(appeal.result.slot.student.user_id)  # the page shows the appeal's state
        _tell(appeal, [appeal.result.slot.student.user], "appeals/email/answer")
        audit_record(actor=actor, verb="appeal.answer", obj=appeal)
    return appeal


def appeal_amend_documents(*, appeal_pk: int) -> int:
    """The appeal's grade change flows into signed documents as amendments; the originals stay (R49)."""
    appeal = Appeal.objects.select_related("result__slot__sitting", "appeal_commission").get(pk=appeal_pk)
    chair = appeal.appeal_commission.members.filter(role=AppealMember.Role.CHAIR).select_related("user").first()
    reason = _(
        "Grade changed from %(old)s to %(new)s by the decision of the appeal commission «%(commission)s» of %(date)s."
    ) % {
        "old": appeal.old_letter,
        "new": appeal.new_letter,
        "commission": appeal.appeal_commission.name,
        "date": timezone.localtime(appeal.decided_at).strftime("%d.%m.%Y"),
    }
    papers = papers_amend_after_change(actor=chair.user if chair else None, slot=appeal.result.slot, reason=reason)
    audit_record(actor=None, verb="appeal.amend_documents", obj=appeal, after={"papers": [str(p.pk) for p in papers]})
    return len(papers)
