"""Proctoring's parts of the exam's pages and rules, plugged into `exams.extensions` (AppConfig.ready()): the
pending decisions and the members' identification on the console, the records and forms on a student's desk, and
the sitting's proctors among those who may watch it (R7)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.documents.language import document_language
from commissions.case_file import CaseItem, CaseSection, case_file_section
from commissions.extensions import grading_rule
from exams.extensions import admission_rule, context_part, watcher_rule
from proctoring import permissions, selectors, services
from proctoring.forms import FailureActForm, IdentificationForm, IncidentForm, RoomCheckForm

watcher_rule(permissions.is_proctor_of)
admission_rule(services.room_check_before_admission)
grading_rule(services.room_check_grading_refusal)


@context_part("console")
def console_pending(*, sitting) -> dict:
    pending = selectors.pending_for_sitting(sitting=sitting)
    members = selectors.decision_members(sitting=sitting) if pending["interruptions"] or pending["room_checks"] else []
    return {"pending": pending, "decision_members": members}


@context_part("console_page")
def console_members(*, sitting) -> dict:
    return {"members": selectors.members_identification(sitting=sitting)}


@context_part("desk")
def desk_records_and_forms(*, slot, now) -> dict:
    return {
        "proctoring": selectors.desk_records(slot=slot),
        "decision_members": selectors.decision_members(sitting=slot.sitting),
        "identification_form": IdentificationForm(),
        "room_form": RoomCheckForm(),
        "incident_form": IncidentForm(),
        "act_form": FailureActForm(
            initial={
                "language": document_language(slot.student.study_language),
                "occurred_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
            }
        ),
    }


@case_file_section
def case_incidents(slot) -> CaseSection:
    """R21-R22: what happened during the attempt, as the secretary or the proctor recorded it."""
    items = [
        CaseItem(label=incident.get_kind_display(), when=incident.occurred_at, note=incident.note)
        for incident in slot.incidents.order_by("occurred_at")
    ]
    return CaseSection(20, _("Incidents"), items)


@case_file_section
def case_failure_acts(slot) -> CaseSection:
    """R23: the technical-failure acts of the attempt, each with its PDF."""
    items = [
        CaseItem(
            label=_("Technical-failure act No. %(number)s") % {"number": act.pk},
            when=act.occurred_at,
            url=reverse("proctoring:act_pdf", args=[act.pk]) if act.document_id else "",
            note=act.description,
        )
        for act in slot.failure_acts.order_by("occurred_at")
    ]
    return CaseSection(30, _("Technical-failure acts"), items)


@case_file_section
def case_recordings(slot) -> CaseSection:
    """R21: the sitting's video recordings still kept (a link, or the stored file through its download view)."""
    items = [
        CaseItem(
            label=recording.note or _("Recording of %(date)s") % {"date": f"{slot.sitting.date:%d.%m.%Y}"},
            when=recording.added_at,
            url=reverse("proctoring:recording_file", args=[recording.pk]) if recording.file else recording.url,
        )
        for recording in slot.sitting.recordings.filter(expired_at__isnull=True).order_by("added_at")
    ]
    return CaseSection(40, _("Video recordings"), items)
