from django import template

from exams.yearend import selectors

register = template.Library()


@register.simple_tag
def department_year(department, commissions) -> dict:
    """What the department's page needs beyond its own context: admission, sittings, transfers, the diploma
    request and accommodations — a fixed number of queries whatever the number of students."""
    return selectors.department_overview(department=department, commissions=commissions)
