from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.core.actions import run_and_return, safe_next
from attestation.core.permissions import permitted_or_404
from commissions.models import Commission
from exams.preparation import permissions, services
from exams.preparation.forms import LectureForm, SeriesForm, WebinarForm
from exams.preparation.models import PreparationStep, Webinar


def _commission(request, pk: int, check) -> Commission:
    return permitted_or_404(request.user, Commission.objects.select_related("institution"), check, pk=pk)


@login_required
@require_POST
def series_set(request, commission_pk: int):
    commission = _commission(request, commission_pk, permissions.can_prepare)
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
    commission = _commission(request, commission_pk, permissions.can_prepare)
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
    step = permitted_or_404(
        request.user,
        PreparationStep.objects.select_related("series__commission__institution"),
        permissions.can_prepare,
        via=lambda s: s.series.commission,
        pk=pk,
    )
    try:
        services.step_mark_done(actor=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(safe_next(request, fallback="home"))


@login_required
@require_POST
def webinar_create(request, commission_pk: int):
    commission = _commission(request, commission_pk, permissions.can_run_webinars)
    return run_and_return(
        request,
        lambda d: services.webinar_create(actor=request.user, commission=commission, **d),
        form=WebinarForm(request.POST),
        done=_("The webinar is scheduled; its audience is told."),
        fallback="home",
    )


@login_required
def webinar_attendance(request, pk: int):
    webinar = permitted_or_404(
        request.user,
        Webinar.objects.select_related("commission__institution"),
        permissions.can_run_webinars,
        via=lambda w: w.commission,
        pk=pk,
    )
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
