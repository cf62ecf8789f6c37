"""Demo layer: the master's students of МИС-24-1 (defense commission 7M06101) get theses, reviews, checks and
clearance; four are admitted with the order, one waits for the library, one is blocked by the supervisor."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from attestation.core.collation import name_order, student_name_fields
from attestation.documents.render import pdf_bytes
from attestation.institutions.models import Programme, Student
from exams.admission import services
from exams.admission.models import AdmissionList, ClearanceLine, Conclusion, Review, Thesis

TOPICS = [
    (
        "Университеттің ақпараттық жүйесіндегі деректерді талдау",
        "Анализ данных в информационной системе университета",
        "Data analysis in a university information system",
    ),
    (
        "Бұлттық қызметтерді пайдаланып электронды құжат айналымын жобалау",
        "Проектирование электронного документооборота на облачных сервисах",
        "Designing electronic document flow on cloud services",
    ),
    (
        "Машиналық оқыту әдістерімен қазақ тіліндегі мәтіндерді жіктеу",
        "Классификация казахскоязычных текстов методами машинного обучения",
        "Classifying Kazakh texts with machine learning",
    ),
    (
        "Ақпараттық қауіпсіздік оқиғаларын мониторингтеу жүйесі",
        "Система мониторинга событий информационной безопасности",
        "A system for monitoring information security events",
    ),
    (
        "Қашықтықтан оқытудағы бейнеконференция сапасын бағалау",
        "Оценка качества видеоконференций в дистанционном обучении",
        "Assessing video-conference quality in e-learning",
    ),
    (
        "Шағын бизнеске арналған CRM жүйесін әзірлеу",
        "Разработка CRM-системы для малого бизнеса",
        "Developing a CRM system for small business",
    ),
]
EXTERNAL = ("Сейітов Нұрлан Бекұлы", "PhD", "«Kaspi» АҚ", "деректер бөлімінің басшысы")


def _pdf(title: str, name: str) -> SimpleUploadedFile:
    data = pdf_bytes(template="documents/admission_demo_file.html", context={"title": title}, language="kk")
    return SimpleUploadedFile(name, data, content_type="application/pdf")


class Command(BaseCommand):
    help = "Gives the demo master's students theses, reviews, plagiarism checks and clearance; admits most of them."

    @transaction.atomic
    def handle(self, *args, **options):
        users = {u.username: u for u in get_user_model().objects.filter(username__in=["head", "member", "member2", "admin"])}
        programme = Programme.objects.filter(code="7M06101", department__institution__short_name="DEMO-U").first()
        if programme is None or len(users) < 4:
            self.stdout.write("No demo university: run seed_demo first.")
            return
        students = list(
            Student.objects.filter(group__programme=programme, group__name="МИС-24-1")
            .select_related("user", "institution")
            .order_by(*name_order(*student_name_fields("kk")))
        )
        for index, student in enumerate(students[: len(TOPICS)]):
            if not Thesis.objects.filter(student=student).exists():
                self._thesis(student, index, users)
        if not AdmissionList.objects.filter(programme=programme).exists():
            ready = [s.pk for s in students[:4]]
            services.admission_list_admit(actor=users["head"], programme=programme, student_ids=ready)
        self.stdout.write(self.style.SUCCESS(f"Admission demo: {len(students)} master's students."))

    def _thesis(self, student: Student, index: int, users: dict) -> None:
        head = users["head"]
        supervisor, other = (users["member"], users["member2"]) if index % 2 == 0 else (users["member2"], users["member"])
        external_user = index < 3
        kk, ru, en = TOPICS[index]
        thesis = services.thesis_register(
            actor=student.user or head,
            student=student,
            topic_kk=kk,
            topic_ru=ru,
            topic_en=en,
            language="kk",
            supervisor=supervisor,
            reviewer=other if external_user else None,
            **(
                {}
                if external_user
                else dict(
                    zip(
                        ("reviewer_name", "reviewer_degree", "reviewer_workplace", "reviewer_position"),
                        EXTERNAL,
                        strict=True,
                    )
                )
            ),
        )
        services.thesis_version_upload(actor=student.user or head, thesis=thesis, upload=_pdf(kk, "thesis.pdf"))
        services.thesis_formatting_check(actor=head, thesis=thesis, passed=True, comments="")
        negative = index == 5
        services.review_submit(
            actor=supervisor,
            thesis=thesis,
            kind=Review.Kind.SUPERVISOR,
            conclusion=Conclusion.NOT_ADMITTED if negative else Conclusion.ADMITTED,
            text="Жұмыс аяқталмаған, практикалық бөлімі жоқ." if negative else "Жұмыс талаптарға сай, қорғауға жіберіледі.",
        )
        services.review_submit(
            actor=other if external_user else head,
            thesis=thesis,
            kind=Review.Kind.EXTERNAL,
            conclusion=Conclusion.ADMITTED,
            letter=["A", "A-", "B+", "B", "B+", "C"][index],
            text="Жұмыс өзекті, нәтижелері практикалық маңызды.",
        )
        checked_on = timezone.localdate()  # checked the day the thesis was uploaded, recorded the same day
        if index == 1:  # a failed free check, then a paid one that passes
            services.plagiarism_check_record(
                actor=head,
                thesis=thesis,
                checked_on=checked_on,
                similarity=Decimal("41.20"),
                originality=Decimal("58.80"),
                passed=False,
            )
        services.plagiarism_check_record(
            actor=head,
            thesis=thesis,
            checked_on=checked_on,
            similarity=Decimal("8.50") + index,
            originality=Decimal("91.50") - index,
            passed=True,
            paid=index == 1,
        )
        services.certificate_upload(actor=supervisor, thesis=thesis, upload=_pdf(kk, "certificate.pdf"))
        for line in ClearanceLine.Line.values:
            owes = index == 4 and line == ClearanceLine.Line.LIBRARY
            services.clearance_mark(
                actor=head,
                student=student,
                line=line,
                cleared=not owes,
                note="Кітапханаға 2 кітап қайтарылмаған." if owes else "",
            )
