"""The console's identification hint (R19): when each student's window opens, one policy read per page."""

from django import template
from django.utils import timezone

from commissions.services import policy_for
from proctoring.services import identification_opens_at

register = template.Library()


@register.inclusion_tag("proctoring/_identification_window.html", takes_context=True)
def identification_window(context, slot, sitting) -> dict:
    cache = context.render_context.setdefault("proctoring_policy", {})
    if sitting.commission_id not in cache:
        cache[sitting.commission_id] = policy_for(sitting.commission)
    opens_at = identification_opens_at(slot=slot, policy=cache[sitting.commission_id])
    return {"opens_at": opens_at, "is_open": timezone.now() >= opens_at}
