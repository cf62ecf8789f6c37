"""Pages that put several apps together: each role's home page and the department's page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from attestation.institutions import selectors as institution_selectors
from commissions import calendar_export
from commissions.selectors import commissions_of_department, slots_for_student
from exams.preparation.selectors import department_preparation, for_person
from portal import today as today_desk
from portal.getting_started import getting_started
from portal.roles import roles_for


@login_required
def home(request):
    my_roles = roles_for(request.user)
    return render(
        request,
        "portal/home.html",
        {
            "my_roles": my_roles,
            "notifications": request.user.notifications.all()[:5],
            "preparation": for_person(user=request.user),
            "getting_started": getting_started(institutions=my_roles.admin_of, today=timezone.localdate()),
        },
    )


@login_required
def department_detail(request, pk: int):
    department = institution_selectors.department_get_for_user(user=request.user, pk=pk)
    commissions = commissions_of_department(department=department)
    programmes = institution_selectors.department_programmes(department=department)
    return render(
        request,
        "institutions/department.html",
        {
            "department": department,
            "programmes": programmes,
            "has_arts": any(programme.arts_and_culture for programme in programmes),
            "students": institution_selectors.department_students(department=department),
            "commissions": commissions,
            "preparation": department_preparation(commissions=commissions),
        },
    )


@login_required
def schedule_ics(request):
    """The student's schedule and the instruction webinars they are invited to, as one iCalendar file."""
    slots = slots_for_student(user=request.user)
    webinars = for_person(user=request.user)["webinars"]
    response = HttpResponse(calendar_export.slots_to_ics(slots, webinars), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attestation-schedule.ics"'
    return response


@login_required
def today(request, pk: int | None = None):
    """The secretary's desk for today: the day's sittings, and the current one (or the one chosen) in detail."""
    sittings = today_desk.sittings_today(user=request.user)
    if pk is not None:
        sitting = today_desk.sitting_for_desk(user=request.user, pk=pk)
    else:
        sitting = today_desk.current_sitting(sittings)
    return render(
        request,
        "portal/today.html",
        {
            "sittings": sittings,
            "sitting": sitting,
            "desk": today_desk.desk_for(user=request.user, sitting=sitting) if sitting else None,
            "poll_seconds": settings.TODAY_DESK_POLL_SECONDS,
        },
    )


@login_required
def today_live(request, pk: int):
    """The desk's parts, refreshed by polling: each is swapped out of band, except one holding the keyboard focus."""
    sitting = today_desk.sitting_for_desk(user=request.user, pk=pk)
    return render(
        request,
        "portal/_today_live.html",
        {
            "sittings": today_desk.sittings_today(user=request.user),
            "sitting": sitting,
            "desk": today_desk.desk_for(user=request.user, sitting=sitting),
            "oob": True,
        },
    )
