"""Day one of an institution (issue 15): the student file checked before it is imported, and its progress."""

from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.tests.matrix_base import Entry

IMPORTERS = frozenset({"inst_admin", "registrar"})  # attestation.institutions.permissions.can_import_students


def build(objects: dict) -> None:
    from attestation.institutions.student_import import student_import_check, template_csv

    world = objects["world"]
    upload = SimpleUploadedFile("students.csv", ("\ufeff" + template_csv()).encode())
    objects["student_import"] = student_import_check(
        actor=objects["users"]["inst_admin"], institution=world.institution, upload=upload, kind="csv"
    )


def _job(o):
    return {"pk": o["student_import"].pk}


ENTRIES = {
    "institutions:import_template_xlsx": Entry("get", lambda o: {"pk": o["world"].institution.pk}, IMPORTERS),
    "institutions:student_import_detail": Entry("get", _job, IMPORTERS),
    "institutions:student_import_progress": Entry("get", _job, IMPORTERS),
    # the file has no rows: the check named that, and the import is refused with that message
    "institutions:student_import_start": Entry("post", _job, IMPORTERS),
}
