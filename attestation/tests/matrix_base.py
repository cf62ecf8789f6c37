"""What the access matrix is made of: the personas, the Entry record and the kwargs helpers.

test_access_matrix.py holds the core entries; each module in attestation/tests/matrix_parts/ adds the entries of one
area (ENTRIES) and, where its URLs take objects the core world lacks, a build(objects) that adds them — so work on
different areas never edits the same file.
"""

from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "student",
    "other_student",
    "chair",
    "member",
    "secretary",
    "head",
    "outsider",
    "inst_admin",
    "registrar",
    "appeal_chair",
    "slot_proctor",
    "supervisor",
    "reviewer",
)
EVERYONE = frozenset(PERSONAS)
COMMISSION = frozenset({"chair", "member", "secretary"})
VIEWERS = COMMISSION | {"head", "inst_admin", "registrar"}  # commissions.permissions.can_view_commission
WATCHERS = COMMISSION | {"head"}  # exams.permissions.can_watch_sitting (proctors aside)
SITTING_WATCHERS = WATCHERS | {"slot_proctor"}  # the sitting as a whole: its console and recordings page
PROGRAMME_READERS = COMMISSION | {"head", "inst_admin"}  # exams.permissions.can_view_programmes
PROGRAMME_KEEPERS = frozenset({"head", "inst_admin"})  # exams.permissions.can_manage_programmes
APPEAL_READERS = frozenset({"student", "appeal_chair", "inst_admin"})  # appeals.permissions.can_view_appeal
STUDENT = frozenset({"student"})
SECRETARY = frozenset({"secretary"})
CHAIR = frozenset({"chair"})
DECIDERS = frozenset({"chair", "secretary"})
ADMISSION_MANAGERS = frozenset({"head", "inst_admin"})  # exams.admission.permissions.manages_department
THESIS_READERS = ADMISSION_MANAGERS | {"student", "supervisor", "reviewer"}  # ...permissions.can_view_thesis
TRANSCRIPT_IMPORTERS = frozenset({"inst_admin", "registrar"})  # exams.applications.permissions

# Namespaces of work in progress: their URLs get entries here when that work lands; until then the coverage test
# skips them. Remove a namespace from this set to enforce it.
PENDING_NAMESPACES: set[str] = set()
SKIPPED_NAMESPACES = {"admin", "api-v1"}  # api-v1 takes tokens, not sessions: api/tests/test_api.py


@dataclass(frozen=True)
class Entry:
    method: str
    kwargs: object  # (objects) -> dict of URL kwargs
    allow: frozenset
    data: object = field(default_factory=dict)  # a dict, or (objects) -> dict
    xfail: dict = field(default_factory=dict)  # persona -> reason: the code does not follow the rule yet
    url: str = ""  # the URL pattern's name when the key is a variant of it ("name [variant]"): one per object kind


# exams.permissions.is_proctor_of ignores ProctorAssignment.slot: a proctor assigned to ONE student (R7) passes
# can_watch_sitting for the whole sitting and reaches every other student's desk, sheets, act and incidents.


def _slot(o):
    return {"pk": o["slot"].pk}


def _slot_pk(o):
    return {"slot_pk": o["slot"].pk}


def _sitting(o):
    return {"pk": o["world"].sitting.pk}


def _commission(o):
    return {"pk": o["world"].commission.pk}


def _paper(o):
    return {"pk": o["vedomost"].pk}


def _thesis(o):
    return {"pk": o["thesis"].pk}


REFUSAL = {"decision": "reject", "reason": "Құжат жеткіліксіз"}


def _application(kind: str):
    return lambda o: {"pk": o["applications"][kind].pk}
