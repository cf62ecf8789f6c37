"""iCalendar export of a student's schedule."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def slots_to_ics(slots, webinars=()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Attestation Portal//KZ")
    calendar.add("version", "2.0")
    for slot in slots:
        event = Event()
        event.add("uid", f"slot-{slot.pk}@attestation-portal")
        event.add("summary", _("Attestation: %(commission)s") % {"commission": slot.sitting.commission.name})
        start = slot.starts_at.astimezone(ZoneInfo(slot.sitting.commission.institution.time_zone))
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=slot.duration_minutes))
        event.add("dtstamp", slot.starts_at)
        if slot.sitting.meeting_url:
            event.add("location", slot.sitting.meeting_url)
            event.add("url", slot.sitting.meeting_url)
        calendar.add_component(event)
    for webinar in webinars:
        event = Event()
        event.add("uid", f"webinar-{webinar.pk}@attestation-portal")
        kind = capfirst(webinar.get_kind_display())
        event.add("summary", _("%(kind)s: %(commission)s") % {"kind": kind, "commission": webinar.commission.name})
        if webinar.topic:
            event.add("description", webinar.topic)
        event.add("dtstart", webinar.starts_at)
        event.add("dtend", webinar.starts_at + dt.timedelta(minutes=webinar.duration_minutes))
        event.add("dtstamp", webinar.starts_at)
        event.add("location", webinar.url)
        event.add("url", webinar.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
