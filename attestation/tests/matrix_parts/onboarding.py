"""Day one of an institution (issue 15): the student file checked before it is imported, and its progress; staff
invited by e-mail with their roles."""

from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.accounts.staff_invitations import staff_invite
from attestation.institutions.student_import import student_import_check, template_csv
from attestation.tests.matrix_base import EVERYONE, Entry

STAFF_KEEPERS = frozenset({"inst_admin", "head"})  # the head: of the invitation's department (can_invite_to)
IMPORTERS = frozenset({"inst_admin", "registrar"})  # attestation.institutions.permissions.can_import_students


def build(objects: dict) -> None:
    world = objects["world"]
    upload = SimpleUploadedFile("students.csv", ("\ufeff" + template_csv()).encode())
    objects["student_import"] = student_import_check(
        actor=objects["users"]["inst_admin"], institution=world.institution, upload=upload, kind="csv"
    )
    for key in ("staff_invitation", "staff_invitation_to_accept"):
        invitation, link = staff_invite(
            actor=objects["users"]["inst_admin"],
            institution=world.institution,
            department=world.department,
            email=f"{key}@example.kz",
            last_name="Омарова",
            first_name="Жанар",
            position="оқытушы",
            roles=["member"],
        )
        objects[key] = invitation
        objects[f"{key}_token"] = link.rstrip("/").rsplit("/", 1)[-1]


def _job(o):
    return {"pk": o["student_import"].pk}


def _invitation(o):
    return {"pk": o["staff_invitation"].pk}


ENTRIES = {
    "staff": Entry("get", lambda o: {"pk": o["world"].institution.pk}, STAFF_KEEPERS),
    "staff_invitation_resend": Entry("post", _invitation, STAFF_KEEPERS),
    "staff_invitation_revoke": Entry("post", _invitation, STAFF_KEEPERS),
    # the e-mailed link: anyone holding it sees the invitation (a GET changes nothing)
    "accept_staff_invitation": Entry("get", lambda o: {"token": o["staff_invitation_to_accept_token"]}, EVERYONE),
    "institutions:import_template_xlsx": Entry("get", lambda o: {"pk": o["world"].institution.pk}, IMPORTERS),
    "institutions:student_import_detail": Entry("get", _job, IMPORTERS),
    "institutions:student_import_progress": Entry("get", _job, IMPORTERS),
    # the file has no rows: the check named that, and the import is refused with that message
    "institutions:student_import_start": Entry("post", _job, IMPORTERS),
}
