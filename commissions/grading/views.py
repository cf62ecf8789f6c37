"""Pages and fragments for grading, the degree vote and results. Rules live in services and permissions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from attestation.core.actions import run_and_return, safe_next
from attestation.core.confirm import ask_first
from attestation.institutions.models import Institution, Policy
from attestation.institutions.policies import policy_find
from commissions import attendance, permissions, selectors
from commissions.attendance import sitting_quorum
from commissions.forms import AnnouncementCallForm
from commissions.grading import announcement, services, votes
from commissions.grading import selectors as grading_selectors
from commissions.models import DissentingOpinion, MemberGrade, Sitting, VoteRound


def ballot_texts() -> dict:
    """The browser's messages in the page's language."""
    return {
        "voted": _("Your vote is recorded."),
        "waiting_keys": _("Waiting for every member's browser to send its part of the vote's key…"),
        "lost": _(
            "This browser does not hold your part of the vote's key (it was made in another browser or erased). "
            "Ask the secretary to run the vote again."
        ),
        "share_sent": _("Your browser has sent its share of the count."),
        "mismatch": _("The server's sum of the ballots does not match the ballots; your share was not sent."),
    }


def _run(request, action, success: str, target):
    """Calls a service, shows its message, goes back to `next` (a page of this site) or the slot / sitting."""
    back = "commissions:sitting_results" if isinstance(target, Sitting) else "commissions:slot"
    return run_and_return(request, action, done=success, fallback=back, pk=target.pk)


@login_required
def slot_results(request, pk: int):
    """The slot's results panel: the member's form, who has graded, the vote, the result."""
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    sitting = slot.sitting
    context = {"slot": slot, "result": getattr(slot, "result", None)}
    if permissions.can_follow_grading(request.user, sitting):
        members = grading_selectors.voting_members(commission_id=sitting.commission_id)
        grades = {g.membership_id: g for g in MemberGrade.objects.filter(slot=slot)}
        mine = next((m for m in members if m.user_id == request.user.pk), None)
        vote_round = VoteRound.objects.filter(slot=slot).first()
        opinions = grading_selectors.slot_opinions(slot=slot)
        can_grade = permissions.can_grade(request.user, slot)
        context.update(
            {
                "quorum": sitting_quorum(sitting=sitting),
                "opinions": opinions,
                "my_opinion_subjects": {o.subject for o in opinions if mine and o.membership_id == mine.pk},
                "opinion_subjects": DissentingOpinion.Subject.choices,
                "members": members,
                "grades": grades,
                "my_membership": mine,
                "my_grade": grades.get(mine.pk) if mine else None,
                "can_grade": can_grade,
                # why no grade can be given yet (not examined, or an attestation stopped: the apps above say), shown
                # instead of a form the service would refuse
                "not_examined": services.not_examined_refusal(slot) if can_grade else None,
                "see_points": permissions.can_see_member_points(request.user, sitting),
                "is_chair": permissions.is_chair(request.user, sitting),
                "runs_votes": permissions.can_run_votes(request.user, sitting),
                "vote_round": vote_round,
                "voted": votes.voted_members(vote_round) if vote_round else set(),
                "ballot_texts": ballot_texts() if vote_round and vote_round.mode == VoteRound.Mode.SECRET else {},
                "trustees": (
                    list(vote_round.trustees.select_related("membership__user").order_by("membership_id"))
                    if vote_round and vote_round.mode == VoteRound.Mode.SECRET
                    else []
                ),
            }
        )
        context["trustee_ids"] = {t.membership_id for t in context["trustees"]}
    elif context["result"] is not None and context["result"].announced_at is None:
        context["result"] = None  # the student sees it only once announced
    return render(request, "commissions/grading/_slot_panel.html", context)


@login_required
def grade_preview(request):
    """points → letter → traditional mark, while the member types."""
    slot = selectors.slot_get_for_user(user=request.user, pk=int(request.GET.get("slot", 0) or 0))
    try:
        grade = services.scale_for(slot).from_points(request.GET.get("points", "").replace(",", "."))
    except (ValidationError, ArithmeticError, ValueError):
        grade = None
    return render(request, "commissions/grading/_preview.html", {"grade": grade})


@require_POST
@login_required
def grade_submit(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    points = request.POST.get("points", "").replace(",", ".")
    if permissions.can_grade(request.user, slot):  # a refusal is the service's; a grade is asked for first
        asking = ask_first(
            request,
            question=_("Submit your grade for %(name)s? A grade is given once; only the chair can correct it.")
            % {"name": slot.student.full_name},
            details=[_("Points: %(points)s") % {"points": points}] if points else [],
            back=safe_next(request, fallback="commissions:slot", pk=slot.pk),
        )
        if asking is not None:
            return asking
    return _run(
        request,
        lambda: services.grade_submit(actor=request.user, slot=slot, points=points or "x"),
        _("Your grade is recorded."),
        slot,
    )


@require_POST
@login_required
def grade_correct(request, pk: int):
    grade = get_object_or_404(MemberGrade.objects.select_related("slot__sitting__commission"), pk=pk)
    if not permissions.can_follow_grading(request.user, grade.slot.sitting):
        raise Http404
    if not permissions.is_chair(request.user, grade.slot.sitting):
        raise PermissionDenied
    points = request.POST.get("points", "").replace(",", ".")
    return _run(
        request,
        lambda: services.grade_correct(
            actor=request.user, grade=grade, points=points or "x", reason=request.POST.get("reason", "")
        ),
        _("The grade is corrected."),
        grade.slot,
    )


@require_POST
@login_required
def result_incomplete(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    if not permissions.is_chair(request.user, slot.sitting):
        raise PermissionDenied
    return _run(
        request,
        lambda: services.result_set_incomplete(actor=request.user, slot=slot),
        _("The temporary grade I is recorded."),
        slot,
    )


@require_POST
@login_required
def result_decide(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    if not permissions.is_chair(request.user, slot.sitting):
        raise PermissionDenied
    tie_break = request.POST.get("tie_break") or None
    return _run(
        request,
        lambda: services.result_decide(actor=request.user, slot=slot, tie_break=tie_break),
        _("The commission's grade is recorded."),
        slot,
    )


@require_POST
@login_required
def vote_open(request, pk: int):
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    if not permissions.can_run_votes(request.user, slot.sitting):
        raise PermissionDenied
    # The mode is the commission's (set by the chair or the department head), not chosen per vote.
    return _run(request, lambda: votes.vote_open(actor=request.user, slot=slot), _("The vote is open."), slot)


def _round_for(request, pk: int) -> VoteRound:
    vote_round = get_object_or_404(VoteRound.objects.select_related("slot__sitting__commission", "slot__student"), pk=pk)
    if not permissions.can_follow_grading(request.user, vote_round.slot.sitting):
        raise Http404
    return vote_round


VOTE_QUESTIONS = {
    "for": gettext_lazy("Vote “for”? Your vote cannot be changed."),
    "against": gettext_lazy("Vote “against”? Your vote cannot be changed."),
}


@require_POST
@login_required
def vote_cast(request, pk: int):
    vote_round = _round_for(request, pk)
    choice = request.POST.get("choice", "")
    if choice in VOTE_QUESTIONS:
        asking = ask_first(
            request,
            question=str(VOTE_QUESTIONS[choice]),
            details=[vote_round.slot.student.full_name],
            back=safe_next(request, fallback="commissions:slot", pk=vote_round.slot_id),
        )
        if asking is not None:
            return asking
    return _run(
        request,
        lambda: votes.vote_cast(actor=request.user, vote_round=vote_round, choice=request.POST.get("choice", "")),
        _("Your vote is recorded."),
        vote_round.slot,
    )


@require_POST
@login_required
def vote_close(request, pk: int):
    vote_round = _round_for(request, pk)
    if not permissions.can_run_votes(request.user, vote_round.slot.sitting):
        raise PermissionDenied
    rerun = request.POST.get("reason") is not None
    asking = ask_first(
        request,
        question=_("Run the vote again? The votes of this run are set aside and every member votes again.")
        if rerun
        else _("Close the vote and count it? The result is recorded and cannot be changed."),
        details=[vote_round.slot.student.full_name],
        back=safe_next(request, fallback="commissions:slot", pk=vote_round.slot_id),
    )
    if asking is not None:
        return asking
    return _run(
        request,
        lambda: votes.vote_close(actor=request.user, vote_round=vote_round, reason=request.POST.get("reason")),
        _("The vote is run again; the members vote again.")
        if request.POST.get("reason") is not None
        else _("The vote is closed and counted."),
        vote_round.slot,
    )


@login_required
def sitting_results(request, pk: int):
    """The sitting's grading sheet: who has graded (live), results, votes, documents."""
    sitting = grading_selectors.sitting_get_for_user(user=request.user, pk=pk)
    context = _sheet_context(request, sitting)
    template = (
        "commissions/grading/_sheet.html"
        if request.headers.get("HX-Request")
        else "commissions/grading/sitting_results.html"
    )
    return render(request, template, context)


def _ungraded(rows, quorum) -> list[str]:
    """Students without a result whom not every present member has graded: announcing now leaves them out."""
    return [
        row.slot.student.full_name for row in rows if row.result is None and len(row.grades) < max(quorum.present_voting, 1)
    ]


def _announce_question(sitting: Sitting) -> tuple[str, list[str]]:
    """The question before announcing, and the students it would leave out, by name."""
    ungraded = _ungraded(grading_selectors.sitting_sheet(sitting=sitting), sitting_quorum(sitting=sitting))
    if not ungraded:
        return _("Announce the results? Students see them at once; this cannot be undone."), []
    question = ngettext(
        "%(n)s student is not graded by every member present yet and will not be announced now. Announce the "
        "others? Students see their results at once; this cannot be undone.",
        "%(n)s students are not graded by every member present yet and will not be announced now. Announce the "
        "others? Students see their results at once; this cannot be undone.",
        len(ungraded),
    ) % {"n": len(ungraded)}
    return question, [_("Not graded yet: %(names)s.") % {"names": ", ".join(ungraded)}]


def _sheet_context(request, sitting: Sitting) -> dict:
    members = grading_selectors.voting_members(commission_id=sitting.commission_id)
    rows = grading_selectors.sitting_sheet(sitting=sitting)
    quorum = sitting_quorum(sitting=sitting)
    return {
        "sitting": sitting,
        "commission": sitting.commission,
        "members": members,
        "rows": rows,
        "ungraded": _ungraded(rows, quorum),
        "see_points": permissions.can_see_member_points(request.user, sitting),
        "is_chair": permissions.is_chair(request.user, sitting),
        "can_draw_up": permissions.can_draw_up_documents(request.user, sitting),
        "quorum": quorum,
        "everyone": grading_selectors.commission_people(commission_id=sitting.commission_id),
        "can_record_attendance": permissions.can_record_attendance(request.user, sitting),
        "call_form": (
            AnnouncementCallForm(
                initial={
                    "at": sitting.announcement_at and timezone.localtime(sitting.announcement_at),
                    "url": sitting.announcement_url or sitting.meeting_url,
                }
            )
            if permissions.can_run_votes(request.user, sitting)
            else None
        ),
    }


@require_POST
@login_required
def attendance_record(request, pk: int):
    """The secretary ticks who of the commission is present before grading starts."""
    sitting = grading_selectors.sitting_get_for_user(user=request.user, pk=pk)
    if not permissions.can_record_attendance(request.user, sitting):
        raise PermissionDenied
    present = [pk for pk in request.POST.getlist("present") if pk.isdigit()]
    return _run(
        request,
        lambda: attendance.attendance_record(actor=request.user, sitting=sitting, present_ids=present),
        _("Attendance is recorded."),
        sitting,
    )


@require_POST
@login_required
def opinion_record(request, pk: int):
    """A voting member records a dissenting opinion on the student's grade or on the degree; the protocol prints it."""
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    if not permissions.can_write_opinion(request.user, slot):
        raise PermissionDenied
    return _run(
        request,
        lambda: services.dissenting_opinion_record(
            actor=request.user,
            slot=slot,
            text=request.POST.get("text", ""),
            subject=request.POST.get("subject") or DissentingOpinion.Subject.GRADE,
        ),
        _("Your dissenting opinion is recorded; the protocol will print it."),
        slot,
    )


@require_POST
@login_required
def results_announce(request, pk: int):
    sitting = grading_selectors.sitting_get_for_user(user=request.user, pk=pk)
    if not permissions.is_chair(request.user, sitting):
        raise PermissionDenied
    question, details = _announce_question(sitting)
    asking = ask_first(
        request,
        question=question,
        details=details,
        back=safe_next(request, fallback="commissions:sitting_results", pk=sitting.pk),
        yes=_("Announce the results"),
    )
    if asking is not None:
        return asking
    return _run(
        request,
        lambda: services.results_announce(actor=request.user, sitting=sitting),
        _("The results are announced; the students see them now."),
        sitting,
    )


@require_POST
@login_required
def announcement_call(request, pk: int):
    """The secretary or the chair sets the call in which the results are announced (004 §16, §26)."""
    sitting = grading_selectors.sitting_get_for_user(user=request.user, pk=pk)
    if not permissions.can_run_votes(request.user, sitting):
        raise PermissionDenied
    return run_and_return(
        request,
        lambda data: announcement.announcement_call_set(actor=request.user, sitting=sitting, **data),
        done=_("The announcement call is set; the students see its time and link in their cabinet."),
        fallback="commissions:sitting_results",
        form=AnnouncementCallForm(request.POST),
        pk=sitting.pk,
    )


@login_required
def home_panel(request):
    """Home: the student's announced results and the commission people's grading sheets."""
    return render(
        request,
        "commissions/grading/_home_panel.html",
        {
            "results": list(grading_selectors.announced_results_for_student(user=request.user)[:10]),
            "sittings": list(
                Sitting.objects.filter(commission__memberships__user=request.user)
                .select_related("commission")
                .order_by("-date")[:10]
            ),
        },
    )


def public_results(request, short_name: str, pk: int):
    """The institution's public results of a sitting, if its policy publishes them: numbers and grades, no names."""
    institution = get_object_or_404(Institution, short_name=short_name)
    sitting = get_object_or_404(Sitting.objects.select_related("commission"), pk=pk, commission__institution=institution)
    policy = policy_find(sitting.commission)
    if policy is None or policy.public_results == Policy.PublicResults.NONE:
        raise Http404
    return render(
        request,
        "commissions/grading/public_results.html",
        {
            "institution": institution,
            "sitting": sitting,
            "results": list(grading_selectors.public_results(sitting=sitting)),
        },
    )
