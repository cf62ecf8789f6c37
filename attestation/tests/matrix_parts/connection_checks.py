"""The day-before connection checks (R12, issue 23): the secretary, or the chair standing in, of the sitting's
commission sees the list and records a call; nobody else, whatever the sitting or slot id."""

from attestation.tests.matrix_base import DECIDERS, Entry, _sitting, _slot

ENTRIES = {
    "commissions:connection_checks": Entry("get", _sitting, DECIDERS),
    "commissions:connection_check_record": Entry(
        "post", _slot, DECIDERS, {"outcome": "not_reached", "note": "Телефон өшірулі"}
    ),
}
