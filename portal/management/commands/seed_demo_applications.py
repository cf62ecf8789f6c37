import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from attestation.institutions.models import Discipline, Student
from attestation.institutions.policies import policy_find, policy_for
from commissions.models import Slot
from exams.applications import arts, services
from exams.applications.models import Application, ArtsResult, TranscriptRow
from portal.demo import DEMO_ABSENT

PERIOD = "2019-2"


def _points(student_pk: int, discipline_pk: int, salt: int) -> int:
    """Plausible, repeatable scores: 55-99."""
    return 55 + (student_pk * 13 + discipline_pk * 7 + salt * 5) % 45


class Command(BaseCommand):
    help = (
        "Adds transcript scores for the demo students and a few filed applications of each kind (re-study, "
        "summative, postponement, missed) for the head and the chair to decide, and one ballet dancer's arts and "
        "culture result with the stage recording and the employer reviews (the other two are left to set). "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        students = {
            s.user.username: s
            for s in Student.objects.filter(user__username__startswith="student").select_related("user", "institution")
        }
        if not students:
            self.stdout.write("No demo students: run seed_demo first.")
            return
        with transaction.atomic():
            written = self._transcripts(list(students.values()))
        for username, make in [
            ("student2", self._restudy),
            ("student3", self._summative),
            ("student17", self._postponement),
            (DEMO_ABSENT, self._missed),
            ("student61", self._arts),
        ]:
            student = students.get(username)
            if student is not None:
                try:
                    with transaction.atomic():
                        make(student)
                except ValidationError as exc:
                    self.stderr.write(f"{username}: {'; '.join(exc.messages)}")
        self.stdout.write(
            self.style.SUCCESS(f"Applications: {Application.objects.count()}; transcript rows written: {written}.")
        )

    def _transcripts(self, students: list[Student]) -> int:
        rows = []
        for student in students:
            for discipline in Discipline.objects.filter(institution_id=student.institution_id):
                for kind, period, salt in [("current", PERIOD, 1), ("midterm", PERIOD, 2), ("final", "2018-2", 3)]:
                    rows.append(
                        TranscriptRow(
                            student=student,
                            discipline=discipline,
                            period=period,
                            kind=kind,
                            points=_points(student.pk, discipline.pk, salt),
                        )
                    )
        TranscriptRow.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        return len(rows)

    def _discipline(self, student: Student) -> Discipline | None:
        return Discipline.objects.filter(institution_id=student.institution_id).order_by("code").first()

    def _exists(self, student: Student, kind: str) -> bool:
        return Application.objects.filter(student=student, kind=kind).exists()

    def _restudy(self, student: Student) -> None:
        discipline = self._discipline(student)
        if discipline and not self._exists(student, Application.Kind.RESTUDY):
            services.application_file(
                actor=student.user,
                kind=Application.Kind.RESTUDY,
                discipline=discipline,
                period=PERIOD,
                reasons="Үйде компьютер мен интернет болмады.",
            )

    def _summative(self, student: Student) -> None:
        discipline = self._discipline(student)
        if discipline and not self._exists(student, Application.Kind.SUMMATIVE):
            services.application_file(
                actor=student.user,
                kind=Application.Kind.SUMMATIVE,
                discipline=discipline,
                period=PERIOD,
                attestation=Application.Attestation.INTERMEDIATE,
                reasons="Емтиханды қашықтан өткізу мүмкін емес.",
            )

    def _slot(self, student: Student) -> Slot | None:
        return Slot.objects.filter(student=student).select_related("sitting__commission").order_by("starts_at").first()

    def _postponement(self, student: Student) -> None:
        slot = self._slot(student)
        if slot and not self._exists(student, Application.Kind.POSTPONEMENT):
            services.application_file(
                actor=student.user,
                kind=Application.Kind.POSTPONEMENT,
                slot=slot,
                ground=Application.Ground.HOSPITAL,
                requested_date=policy_for(slot.sitting.commission).cutoff_date - dt.timedelta(days=10),
                reasons="Карантинде болдым, анықтама қоса берілді.",
            )  # filed today, before the sitting it postpones

    def _missed(self, student: Student) -> None:
        """Filed today by the student the results layer recorded absent at the first sitting (DEMO_ABSENT)."""
        slot = self._slot(student)
        if slot and not self._exists(student, Application.Kind.MISSED):
            document = ContentFile(b"%PDF-1.4\n% demo medical certificate\n", name="anyktama.pdf")
            services.application_file(
                actor=student.user,
                kind=Application.Kind.MISSED,
                slot=slot,
                reasons="Ауырып қалдым, дәрігердің анықтамасы қоса берілді.",
                document=document,
            )

    def _arts(self, student: Student) -> None:
        """R46: the college head set one ballet dancer's result; the recording is a tiny MP4 header."""
        if ArtsResult.objects.filter(student=student).exists():
            return
        head = student.group.programme.department.heads.select_related("user").first()
        if head is None:
            return
        policy = policy_find(student.institution_id)
        arts.arts_result_set(
            actor=head.user,
            student=student,
            period=f"{policy.academic_year}-2" if policy else PERIOD,  # the period the arts page opens on
            characteristic="Сахнада сенімді, техникасы таза; партияларды мәнерлі орындайды.",
            recording=ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, name="sahna.mp4"),
            employer_reviews=ContentFile(b"%PDF-1.4\n% demo employer review\n", name="pikir.pdf"),
            entered_average=Decimal("91.5"),
        )
