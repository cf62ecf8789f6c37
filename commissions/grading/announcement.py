"""004 §16, §26: the chair announces the results in a scheduled call that the students rejoin.

The secretary (or the chair) sets the call's time and link; the students see them in their cabinet; the results
are announced then — the chair's announcement is refused before the call's time.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from commissions.models import Result, Sitting
from commissions.permissions import can_run_votes


def _local(sitting: Sitting, moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, ZoneInfo(sitting.commission.institution.time_zone))


@transaction.atomic
def announcement_call_set(*, actor, sitting: Sitting, at: dt.datetime, url: str = "") -> Sitting:
    """Sets the announcement call: on the sitting's day, after it starts; the link defaults to the sitting's."""
    sitting = Sitting.objects.select_for_update().select_related("commission__institution").get(pk=sitting.pk)
    if not can_run_votes(actor, sitting):
        raise PermissionDenied
    if Result.objects.filter(slot__sitting=sitting, announced_at__isnull=False).exists():
        raise ValidationError(_("The results of this sitting are announced already."))
    local = _local(sitting, at)
    if local.date() != sitting.date or local.time() < sitting.starts_at:
        raise ValidationError(
            {
                "at": _("The announcement call is on the sitting's day, after the sitting starts (%(start)s).")
                % {"start": sitting.starts_at.strftime("%H:%M")}
            }
        )
    url = url.strip() or sitting.meeting_url
    if not url:
        raise ValidationError({"url": _("Give the call's link: the sitting has no meeting link.")})
    before = {
        "at": sitting.announcement_at.isoformat() if sitting.announcement_at else None,
        "url": sitting.announcement_url,
    }
    sitting.announcement_at, sitting.announcement_url = at, url
    sitting.full_clean()
    sitting.save(update_fields=["announcement_at", "announcement_url"])
    audit_record(
        actor=actor, verb="announcement_call.set", obj=sitting, before=before, after={"at": at.isoformat(), "url": url}
    )
    return sitting


def announcement_refusal(*, sitting: Sitting, now: dt.datetime) -> str | None:
    """Why the results cannot be announced yet: the scheduled call has not begun (read afresh: the secretary may
    have set it since the caller loaded the sitting)."""
    at = Sitting.objects.filter(pk=sitting.pk).values_list("announcement_at", flat=True).first()
    if at is None or now >= at:
        return None
    local = _local(sitting, at)
    return _("The results are announced in the call at %(time)s; the students rejoin it then.") % {
        "time": formats.time_format(local.time(), "H:i")
    }
