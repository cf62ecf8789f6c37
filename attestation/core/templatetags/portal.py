import datetime as dt

from django import template

register = template.Library()


@register.filter
def last_minute(deadline: dt.datetime | None):
    """A deadline stored as the exclusive midnight shown as the last minute people can act: 23:59 the day before."""
    return deadline - dt.timedelta(minutes=1) if deadline else deadline


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict value by a variable key."""
    return mapping.get(key) if mapping else None
