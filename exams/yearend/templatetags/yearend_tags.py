from django import template

from exams.yearend import permissions, selectors

register = template.Library()


@register.simple_tag
def department_year(department, commissions, user) -> dict:
    """What the department's page needs beyond its own context: admission, sittings, transfers, the diploma
    request and accommodations — a fixed number of queries whatever the number of students; `can_act` says
    whether the forms are shown (the registrar office reads and downloads only)."""
    overview = selectors.department_overview(department=department, commissions=commissions)
    overview["can_act"] = permissions.can_record_accommodation(user, department)
    return overview
