"""Who runs the year end: the head of a department the commission examines, or the institution's administrator;
the registrar office also downloads what was sent (R5)."""

from attestation.institutions.permissions import is_registrar
from exams.admission.permissions import manages_department
from exams.preparation.permissions import can_prepare


def can_run_yearend(user, commission) -> bool:
    return can_prepare(user, commission)


def can_download_yearend(user, commission) -> bool:
    return can_run_yearend(user, commission) or is_registrar(user, commission.institution_id)


def can_record_accommodation(user, department) -> bool:
    return manages_department(user, department)
