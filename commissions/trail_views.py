"""The audit trail pages: a commission's (commissions/<pk>/trail/) and a student's (students/<pk>/trail/)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from attestation.core.permissions import permitted_or_404
from attestation.institutions.models import Student
from commissions import permissions, trail
from commissions.forms import TrailFilterForm
from commissions.models import Commission


def _page(request, events, **line_args) -> dict:
    """The filtered page of lines and the query string that keeps the filter on the page links."""
    page = Paginator(events, trail.PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    return {"page": page, "lines": trail.trail_lines(list(page), **line_args), "keep": keep.urlencode()}


def _filter(request, *, own: bool = False) -> tuple[TrailFilterForm, dict]:
    form = TrailFilterForm(request.GET or None, own=own)
    if form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v}
    return form, {}


@login_required
def commission_trail(request, pk: int):
    """What happened in the commission: its chair, secretary, department head and the institution's administrator."""
    commission = permitted_or_404(
        request.user, Commission.objects.select_related("institution"), permissions.can_see_commission_trail, pk=pk
    )
    form, chosen = _filter(request)
    events = trail.commission_trail(commission=commission, **chosen)
    context = _page(request, events, commission_ids=[commission.pk], name_students=True)
    return render(request, "commissions/trail.html", {**context, "form": form, "commission": commission, "student": None})


@login_required
def student_trail(request, pk: int):
    """What happened to one student: the staff of the student's commissions, the registrar, the student."""
    student = Student.objects.filter(pk=pk).first()
    scope = permissions.student_trail_scope(request.user, student) if student is not None else None
    if student is None or scope is None:
        raise Http404
    form, chosen = _filter(request, own=scope.own)
    events = trail.student_trail(student=student, scope=scope, **chosen)
    ids = sorted(scope.commissions) if scope.commissions else trail.student_commission_ids(student)
    context = _page(request, events, commission_ids=ids, name_students=False)
    return render(
        request,
        "commissions/trail.html",
        {**context, "form": form, "commission": None, "student": student, "own": scope.own},
    )
