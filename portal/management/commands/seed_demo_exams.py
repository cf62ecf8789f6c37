"""Adds an approved exam programme, its question list and approved tickets to every demo exam commission.

Safe to run again: a commission that already has approved tickets is left alone.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from attestation.institutions.models import DepartmentHead
from commissions.models import Commission
from exams import programmes, services
from exams.models import ExamSettings

QUESTIONS = {
    "Деректер қоры / Базы данных": [
        "Реляциялық модель: қатынас, кортеж, атрибут. Мысал келтіріңіз.",
        "Қалыпқа келтіру: 1NF, 2NF, 3NF. Кестені 3NF-ке келтіріңіз.",
        "SQL: JOIN түрлері және олардың айырмашылығы.",
        "Транзакциялар және ACID қасиеттері.",
        "Индекстер: B-ағаш, хэш-индекс, қолдану жағдайлары.",
        "Оқшаулау деңгейлері және олардың аномалиялары.",
        "ER-диаграмма құру: маңыздылықтар мен байланыстар.",
        "Сақталған процедуралар мен триггерлер.",
        "NoSQL деректер қорлары: түрлері және қолданылуы.",
        "Деректер қорын резервтік көшіру және қалпына келтіру.",
    ],
    "Ақпараттық жүйелерді жобалау / Проектирование ИС": [
        "Бағдарламалық қамтамасыз етудің өмірлік циклінің модельдері.",
        "UML: прецеденттер диаграммасы. Мысал құрыңыз.",
        "Талаптарды жинау және талдау әдістері.",
        "Клиент-сервер және көпдеңгейлі архитектура.",
        "Жобалау үлгілері: Singleton, Factory, Observer.",
        "Ақпараттық жүйенің қауіпсіздігін қамтамасыз ету.",
        "Agile және Scrum: рөлдер, артефактілер, іс-шаралар.",
        "Микросервистік архитектураның артықшылықтары мен кемшіліктері.",
        "Жүйені тестілеу түрлері: модульдік, интеграциялық, жүйелік.",
        "Ақпараттық жүйені енгізу және сүйемелдеу.",
    ],
    "Информатика / Информатика": [
        "Алгоритмнің күрделілігі: O-белгілеу. Мысалдар.",
        "Сұрыптау алгоритмдері: салыстыру.",
        "Компьютерлік желілер: OSI моделі.",
        "TCP және UDP хаттамалары.",
        "Операциялық жүйедегі процестер мен ағындар.",
        "Жадты басқару: беттік ұйымдастыру.",
        "Санау жүйелері және деректерді кодтау.",
        "Объектіге бағытталған бағдарламалаудың негізгі қағидалары.",
        "Деректер құрылымдары: тізім, стек, кезек, ағаш.",
        "Криптографияның негіздері: симметриялық және асимметриялық шифрлау.",
    ],
}
TICKETS = 25


def _actor(commission: Commission):
    head = DepartmentHead.objects.filter(department__programmes__commissions=commission).select_related("user").first()
    if head is not None:
        return head.user
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


class Command(BaseCommand):
    help = "Adds approved exam programmes, questions and tickets to the demo exam commissions (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        commissions = Commission.objects.exclude(form=Commission.Form.DEFENSE).filter(
            institution__short_name__in=["DEMO-U", "DEMO-C"]
        )
        for commission in commissions:
            if services.ticket_set_current(commission) is not None:
                self.stdout.write(f"{commission}: tickets already approved, left alone")
                continue
            settings_ = services.exam_settings_for(commission)
            if commission.institution.short_name == "DEMO-C":
                settings_.exam_format = ExamSettings.Format.WRITTEN  # the college shows the written exam
                settings_.save()
            actor = _actor(commission)
            programme = programmes.programme_create(
                commission=commission, actor=actor, title=f"{commission.name_kk}: бағдарлама"
            )
            for section, texts in QUESTIONS.items():
                for text in texts:
                    programmes.question_add(programme=programme, section=section, text=text, actor=actor)
            programme = programmes.programme_approve(programme=programme, actor=actor)
            ticket_set = programmes.tickets_generate(
                programme=programme, count=TICKETS, per_ticket=settings_.questions_per_ticket, actor=actor
            )
            programmes.ticket_set_approve(ticket_set=ticket_set, actor=actor)
            self.stdout.write(f"{commission}: {TICKETS} approved tickets ({settings_.get_exam_format_display()})")
