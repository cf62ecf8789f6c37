from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_and_return, safe_next
from commissions.models import Commission
from exams.preparation import permissions, services
from exams.preparation.forms import LectureForm, SeriesForm, WebinarForm
from exams.preparation.models import PreparationStep, Webinar


def _commission_for(user, pk: int, check) -> Commission:
    commission = Commission.objects.select_related("institution").filter(pk=pk).first()
    if commission is None or not check(user, commission):
        raise Http404
    return commission


@login_required
@require_POST
def series_set(request, commission_pk: int):
    commission = _commission_for(request.user, commission_pk, permissions.can_prepare)
    return run_and_return(
        request,
        lambda d: services.series_set(actor=request.user, commission=commission, starts_on=d["starts_on"]),
        form=SeriesForm(request.POST),
        done=_("The review lectures are dated."),
        fallback="home",
    )


@login_required
@require_POST
def lecture_add(request, commission_pk: int):
    commission = _commission_for(request.user, commission_pk, permissions.can_prepare)
    series = getattr(commission, "review_lectures", None)
    if series is None:
        raise Http404
    return run_and_return(
        request,
        lambda d: services.lecture_add(actor=request.user, series=series, **d),
        form=LectureForm(request.POST),
        done=_("The lecture is added."),
        fallback="home",
    )


@login_required
@require_POST
def step_done(request, pk: int):
    step = get_object_or_404(PreparationStep.objects.select_related("series__commission__institution"), pk=pk)
    if not permissions.can_prepare(request.user, step.series.commission):
        raise Http404
    try:
        services.step_mark_done(actor=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(safe_next(request, fallback="home"))


@login_required
@require_POST
def webinar_create(request, commission_pk: int):
    commission = _commission_for(request.user, commission_pk, permissions.can_run_webinars)
    return run_and_return(
        request,
        lambda d: services.webinar_create(actor=request.user, commission=commission, **d),
        form=WebinarForm(request.POST),
        done=_("The webinar is scheduled; its audience is told."),
        fallback="home",
    )


@login_required
def webinar_attendance(request, pk: int):
    webinar = get_object_or_404(Webinar.objects.select_related("commission__institution"), pk=pk)
    if not permissions.can_run_webinars(request.user, webinar.commission):
        raise Http404
    audience = services._audience(webinar)
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        count = services.attendance_mark(actor=request.user, webinar=webinar, present=present)
        messages.success(request, _("Attendance recorded: %(n)s present.") % {"n": count})
        return redirect("preparation:attendance", pk=webinar.pk)
    marked = {a.user_id: a.attended for a in webinar.attendance.all()}
    return render(
        request, "preparation/attendance.html", {"webinar": webinar, "rows": [(u, marked.get(u.pk)) for u in audience]}
    )
