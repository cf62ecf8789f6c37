"""Day one of an institution (issue 15): its structure, staff and commissions, kept by its administrator; the
department head forms the commissions of the department's programmes."""

from attestation.tests.matrix_base import PROGRAMME_KEEPERS, Entry, _commission

INST_ADMIN = frozenset({"inst_admin"})
FORMERS = PROGRAMME_KEEPERS  # commissions.permissions.can_form_commissions / can_edit_commission


def _institution(o):
    return {"pk": o["world"].institution.pk}


ENTRIES = {
    "institutions:structure": Entry("get", _institution, INST_ADMIN),
    "institutions:structure_add": Entry("get", lambda o: {**_institution(o), "kind": "faculty"}, INST_ADMIN),
    "institutions:structure_edit": Entry("get", lambda o: {"kind": "programme", "pk": o["world"].programme.pk}, INST_ADMIN),
    # the group has students: the administrator is told so and nothing is deleted
    "institutions:structure_delete": Entry("post", lambda o: {"kind": "group", "pk": o["world"].group.pk}, INST_ADMIN),
    "commissions:commission_list": Entry("get", _institution, FORMERS),
    "commissions:commission_new": Entry("get", _institution, FORMERS),
    "commissions:commission_edit": Entry("get", _commission, FORMERS),
    "appeals:commissions": Entry("get", _institution, INST_ADMIN),
    "institutions:import_template": Entry("get", _institution, frozenset({"inst_admin", "registrar"})),
}
