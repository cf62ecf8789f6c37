from django.core.files.uploadedfile import SimpleUploadedFile

from commissions.models import Membership
from exams.tests.conftest import english, image_bytes, tickets, written  # noqa: F401 - shared fixtures
from proctoring import services
from proctoring.models import MemberIdentification
from proctoring.services import HowDecided


def ready_for_identification(world, *students):
    """R19's order before a student is identified: the chair and members identified by the department head, and the
    student's ID copy uploaded (idempotent)."""
    for membership in world.commission.memberships.exclude(role=Membership.Role.SECRETARY):
        if not MemberIdentification.objects.filter(sitting=world.sitting, membership=membership).exists():
            services.member_identify(sitting=world.sitting, membership=membership, actor=world.head)
    for student in students or (world.student,):
        if not student.id_copies.exists():
            services.id_copy_upload(student=student, upload=SimpleUploadedFile("id.jpg", image_bytes()), actor=student.user)


def unanimous(world):
    """The commission's decision, as the secretary records it: every voting member present, unanimously."""
    ids = list(world.commission.memberships.exclude(role=Membership.Role.SECRETARY).values_list("pk", flat=True))
    return HowDecided(present_ids=ids, method="unanimous")


def unanimous_post(world) -> dict:
    return {"present": [str(pk) for pk in unanimous(world).present_ids], "method": "unanimous"}
