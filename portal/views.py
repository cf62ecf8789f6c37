"""Pages that put several apps together: each role's home page and the department's page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from attestation.institutions import selectors as institution_selectors
from commissions.selectors import commissions_of_department
from exams.preparation.selectors import department_preparation, for_person
from portal.roles import roles_for


@login_required
def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "my_roles": roles_for(request.user),
            "notifications": request.user.notifications.all()[:5],
            "preparation": for_person(user=request.user),
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
