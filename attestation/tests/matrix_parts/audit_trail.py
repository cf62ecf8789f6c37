"""The audit trail (issue 20): a commission's is read by its chair and secretary, the head of its programme's
department and the institution's administrator; a student's by the same staff of the student's commissions, the
registrar and the student. Everyone else gets 404, whatever the id."""

from attestation.tests.matrix_base import Entry, _commission

COMMISSION_TRAIL = frozenset({"chair", "secretary", "head", "inst_admin"})

ENTRIES = {
    "commissions:commission_trail": Entry("get", _commission, COMMISSION_TRAIL),
    "commissions:student_trail": Entry(
        "get", lambda o: {"pk": o["slot"].student_id}, COMMISSION_TRAIL | {"registrar", "student"}
    ),
}
