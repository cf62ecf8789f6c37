"""Pages that put several apps together: each role's home page and the department's page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from attestation.institutions import selectors as institution_selectors
from commissions import calendar_export
from commissions.selectors import commissions_of_department, slots_for_student
from exams.preparation.selectors import department_preparation, for_person
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
    return render(
        request,
        "institutions/department.html",
        {
            "department": department,
            "programmes": institution_selectors.department_programmes(department=department),
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
