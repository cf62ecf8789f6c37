"""The console's identification hint (R19): when each student's window opens, one policy read per page."""

from django import template
from django.utils import timezone

from attestation.institutions.policies import policy_for
from exams.models import Attempt
from proctoring.services import identification_opens_at

register = template.Library()


@register.inclusion_tag("proctoring/_identification_window.html", takes_context=True)
def identification_window(context, slot, sitting, state: str) -> dict:
    """Shown while the student waits to be identified. The policy is read on the first row whatever its state, so
    the page's query count does not depend on how many students are still waiting."""
    cache = context.render_context.setdefault("proctoring_policy", {})
    if sitting.commission_id not in cache:
        cache[sitting.commission_id] = policy_for(sitting.commission)
    if state != Attempt.State.SCHEDULED:
        return {"shown": False}
    opens_at = identification_opens_at(slot=slot, policy=cache[sitting.commission_id])
    return {"shown": True, "opens_at": opens_at, "is_open": timezone.now() >= opens_at}
