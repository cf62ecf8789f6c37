"""The results announcement call (004 §16, §26): the secretary or the chair of the sitting's commission sets its time
and link; nobody else, whatever the sitting id. Students see it on their own schedule and slot pages."""

from attestation.tests.matrix_base import DECIDERS, Entry, _sitting

ENTRIES = {
    "commissions:announcement_call": Entry(
        "post",
        _sitting,
        DECIDERS,
        lambda o: {"at": f"{o['world'].sitting.date:%Y-%m-%d}T15:00", "url": "https://meet.webex.com/results"},
    ),
}
