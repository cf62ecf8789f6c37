"""The institution's policy years and calendar (issue 20): only the institution's administrator reads and edits
them."""

from attestation.tests.matrix_base import Entry

INST_ADMIN = frozenset({"inst_admin"})


def _year(o):
    return {"pk": o["world"].institution.pk, "year": 2019}


ENTRIES = {
    "institutions:policy_year": Entry("get", _year, INST_ADMIN),
    "institutions:policy_new_year": Entry("post", _year, INST_ADMIN, {"academic_year": "2020"}),
}
