"""Proctoring's parts of the exam's pages and rules, plugged into `exams.extensions` (AppConfig.ready()): the
pending decisions and the members' identification on the console, the records and forms on a student's desk, and
the sitting's proctors among those who may watch it (R7)."""

from django.utils import timezone

from attestation.documents.language import document_language
from exams.extensions import admission_rule, context_part, watcher_rule
from proctoring import permissions, selectors, services
from proctoring.forms import FailureActForm, IdentificationForm, IncidentForm, RoomCheckForm

watcher_rule(permissions.is_proctor_of)
admission_rule(services.room_check_before_admission)


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
