from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from attestation.institutions.models import DepartmentHead, Student
from commissions.models import Commission, Membership, Paper, Sitting
from commissions.papers.services import paper_render
from commissions.papers.testca import demo_ca, sign_as
from exams.yearend import selectors, services
from exams.yearend.models import Transfer
from portal.demo import demo_id_card
from proctoring.services import id_copy_upload


class Command(BaseCommand):
    help = (
        "Year end on the demo university's complex-exam commission: signed grade sheets, the graduates' ID "
        "copies, the transfer to the registrar, the diploma request; an accommodation for a student still to "
        "be examined. Safe to run again."
    )

    def handle(self, *args, **options):
        commission = Commission.objects.filter(form=Commission.Form.COMPLEX_EXAM, institution__kind="hei").first()
        head = DepartmentHead.objects.filter(department__programmes__commissions=commission).select_related("user").first()
        if commission is None or head is None or Transfer.objects.filter(commission=commission).exists():
            self.stdout.write("Year end: nothing to add.")
            return
        # Members before the chair; the demo's own CA (var/demo-ca, "DEMO" in every name) stands in for each
        # person's NCALayer key — no real person's key, and production never trusts it.
        signers = [
            m.user for m in Membership.objects.filter(commission=commission, role__in=["chair", "member"]).order_by("-role")
        ]
        for sitting in Sitting.objects.filter(commission=commission, slots__result__isnull=False).distinct():
            paper = paper_render(actor=head.user, kind=Paper.Kind.VEDOMOST, sitting=sitting)
            for user in signers:
                sign_as(actor=user, paper=paper, ca=demo_ca())
        for student in selectors.graduates(commission=commission):
            if not student.id_copies.exists():
                id_copy_upload(student=student, upload=demo_id_card(student), actor=student.user or head.user)
        try:
            with transaction.atomic():
                services.transfer_send(
                    actor=head.user, commission=commission, recipient="registrar", addressee="registrar@demo.attestation.kz"
                )
                services.diploma_request_create(
                    actor=head.user,
                    commission=commission,
                    order_number="312-Д",
                    order_date=timezone.localdate(),  # today's order: never one dated after the day it is entered
                )
        except ValidationError as exc:
            self.stdout.write(f"Year end: {' '.join(exc.messages)}")
        waiting = Student.objects.filter(user__username="student17").first()
        if waiting is not None:
            services.accommodation_set(
                actor=head.user,
                student=waiting,
                extra_minutes=20,
                device_loan="Ноутбук, экранды оқу бағдарламасы",
                note="Көру қабілеті нашар",
            )
        self.stdout.write(self.style.SUCCESS("Year end: grade sheets signed, transfer and diploma request made."))
