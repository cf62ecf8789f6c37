"""The planner's pages: the timetable of one commission (propose, move, lock, publish), rescheduling a slot,
and a member's declared days off. Thin: a form, a service, its message, back to the page."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.institutions.policies import policy_for
from commissions import permissions, selectors
from commissions.planning import forms, inputs, services
from commissions.planning import selectors as plan_selectors
from commissions.planning.models import MemberUnavailability, PlanDraft


def _run(request, action: Callable[[], object], success: str) -> bool:
    """Runs the service; shows its refusal (every broken rule) or the success message."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
def plan(request, pk: int):
    commission = plan_selectors.commission_for_planner(user=request.user, pk=pk)
    draft = PlanDraft.objects.filter(commission=commission).first()
    days = plan_selectors.plan_days(draft=draft)
    _students, refused = inputs.candidates(commission)
    chart_from, chart_to = plan_selectors.chart_span(draft)
    return render(
        request,
        "commissions/planning/plan.html",
        {
            "commission": commission,
            "draft": draft,
            "days": days,
            "chart_width": plan_selectors.chart_width(days),
            "chart_from": chart_from,
            "chart_to": chart_to,
            "violations": services.draft_violations(draft) if draft and draft.placements else [],
            "refused": refused,
        },
    )


def _draft(request, pk: int) -> PlanDraft:
    commission = plan_selectors.commission_for_planner(user=request.user, pk=pk)
    return get_object_or_404(PlanDraft, commission=commission)


@require_POST
@login_required
def propose(request, pk: int):
    commission = plan_selectors.commission_for_planner(user=request.user, pk=pk)
    draft = services.plan_propose(actor=request.user, commission=commission)
    for message in draft.troubles:
        messages.error(request, message)
    if not draft.troubles:
        messages.success(request, _("The timetable is proposed. Check it, move what you need, then publish it."))
    return redirect("commissions:plan", pk=pk)


@require_POST
@login_required
def move(request, pk: int):
    draft = _draft(request, pk)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("commissions:plan", pk=pk)
    data = form.cleaned_data
    _run(
        request,
        lambda: services.plan_move(
            actor=request.user,
            draft=draft,
            student_id=data["student"],
            date=data["date"],
            start=inputs.minutes_of(data["time"]),
        ),
        _("The student is moved."),
    )
    return redirect("commissions:plan", pk=pk)


@require_POST
@login_required
def move_day(request, pk: int):
    draft = _draft(request, pk)
    form = forms.MoveDayForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("commissions:plan", pk=pk)
    data = form.cleaned_data
    start = inputs.minutes_of(data["time"]) if data["time"] else None
    _run(
        request,
        lambda: services.plan_move_day(
            actor=request.user, draft=draft, date=data["date"], to_date=data["to_date"], start=start
        ),
        _("The day is moved."),
    )
    return redirect("commissions:plan", pk=pk)


@require_POST
@login_required
def lock(request, pk: int):
    draft = _draft(request, pk)
    form = forms.LockForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        locked = data["locked"]
        services.plan_lock(actor=request.user, draft=draft, student_ids=data["students"], locked=locked)
        messages.success(request, _("Locked: a new proposal keeps them in place.") if locked else _("Unlocked."))
    else:
        _form_errors(request, form)
    return redirect("commissions:plan", pk=pk)


@require_POST
@login_required
def publish(request, pk: int):
    draft = _draft(request, pk)
    _run(
        request,
        lambda: services.plan_publish(actor=request.user, draft=draft),
        _("The timetable is published: students see it in their cabinet and calendar, and everyone is told."),
    )
    return redirect("commissions:plan", pk=pk)


@login_required
def reschedule(request, pk: int):
    """The next feasible slot for a missed, postponed or interrupted attestation; one click accepts it."""
    slot = selectors.slot_get_for_user(user=request.user, pk=pk)
    commission = slot.sitting.commission
    if not permissions.can_manage_schedule(request.user, commission):
        raise PermissionDenied
    if slot.status == slot.Status.ABSENT:
        messages.error(
            request,
            _(
                "A student who missed sits again only on the chair's decision on their application with the document "
                "of the valid reason; that decision gives the place on the commission's next sitting day."
            ),
        )
        return redirect("commissions:slot", pk=pk)
    if not plan_selectors.reschedulable(slot, timezone.now()):
        messages.error(request, _("This attestation is still to come or has its result; there is nothing to reschedule."))
        return redirect("commissions:slot", pk=pk)
    until = policy_for(commission).cutoff_date if slot.status == slot.Status.POSTPONED else None
    offer = services.reschedule_offer(slot=slot, until=until)
    accepted = (
        request.method == "POST"
        and not isinstance(offer, str)
        and _run(
            request,
            lambda: services.reschedule_accept(actor=request.user, slot=slot, offer=offer),
            _("The student has a new place; the student and the members are told."),
        )
    )
    if accepted:
        return redirect("commissions:plan", pk=commission.pk)
    return render(
        request,
        "commissions/planning/reschedule.html",
        {"slot": slot, "commission": commission, "offer": offer, "start": _hm(offer)},
    )


def _hm(offer) -> str:
    return "" if isinstance(offer, str) else inputs.time_of(offer.start).strftime("%H:%M")


@login_required
def my_unavailable(request):
    """A staff member's days they cannot sit: the timetable keeps their commissions off them."""
    form = forms.UnavailabilityForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if _run(
                request,
                lambda: services.unavailability_declare(actor=request.user, date=data["date"], reason=data["reason"]),
                _("The day is declared."),
            ):
                return redirect("commissions:my_unavailable")
        else:
            _form_errors(request, form)
    rows = plan_selectors.unavailable_days(user=request.user)
    return render(request, "commissions/planning/my_unavailable.html", {"form": form, "rows": rows})


@require_POST
@login_required
def my_unavailable_withdraw(request, pk: int):
    row = get_object_or_404(MemberUnavailability, pk=pk, user=request.user)
    _run(request, lambda: services.unavailability_withdraw(actor=request.user, row=row), _("The day is withdrawn."))
    return redirect("commissions:my_unavailable")
