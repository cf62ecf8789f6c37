from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    """`{{ grades|get_item:member.pk }}`: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None
