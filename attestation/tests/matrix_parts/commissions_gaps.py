"""Attendance and quorum, dissenting opinions and the commission's own settings (commissions, issue 4).

Attendance: the secretary (or the chair) of the commission. Opinions: the voting members, on a slot of their
sitting — never the student, whatever the slot id. Settings (vote mode, quorum, honours thresholds): the chair or
the head of the programme's department.
"""

from attestation.tests.matrix_base import DECIDERS, Entry, _commission, _sitting, _slot

ENTRIES = {
    "commissions:attendance_record": Entry(
        "post",
        _sitting,
        DECIDERS,
        lambda o: {"present": [str(pk) for pk in o["world"].commission.memberships.values_list("pk", flat=True)]},
    ),
    "commissions:opinion_record": Entry(
        "post", _slot, frozenset({"chair", "member"}), {"text": "Бағаны төмендету керек деп санаймын.", "subject": "grade"}
    ),
    "commissions:commission_settings": Entry(
        "post",
        _commission,
        frozenset({"chair", "head"}),
        {
            "vote_mode": "open",
            "quorum_numerator": "2",
            "quorum_denominator": "3",
            "honours_min_gpa": "3.50",
            "honours_min_discipline_gpa": "2.33",
            "honours_min_attestation_gpa": "3.67",
        },
    ),
}
