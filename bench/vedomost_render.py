"""Renders a 300-student vedomost through the app's path and with plain WeasyPrint on the same HTML; reports the ratio.

The app's path is `attestation.documents.render.pdf_bytes` (template rendering in the document's language, the
shipped font, WeasyPrint). The plain path is `weasyprint.HTML(string=html).write_pdf()` on the identical HTML, with
no app code. No database is needed: the rows are unsaved model instances.

Usage: .venv/bin/python bench/vedomost_render.py [students] [runs]   — appends a line to bench/VEDOMOST.md
(BENCH_NO_APPEND=1: print only)
"""

import datetime as dt
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402
from paired import paired  # noqa: E402  (bench/paired.py, beside this script)

from attestation.accounts.models import User  # noqa: E402
from attestation.documents.qr import qr_data_uri  # noqa: E402
from attestation.documents.render import FONT_DIR, pdf_bytes  # noqa: E402
from attestation.grading.scale import DEFAULT_BANDS  # noqa: E402
from attestation.institutions.models import Department, Group, Institution, Programme, Student  # noqa: E402
from commissions.models import Commission, Membership, Result, Sitting, Slot  # noqa: E402

TEMPLATE = "documents/commissions_vedomost.html"
SURNAMES = ["Әбілқасымов", "Ғалымжанов", "Жұмабаев", "Қасымов", "Нұрланов", "Өтегенов", "Сәрсенбаев", "Үсенов"]


def fake_context(students: int) -> dict:
    institution = Institution(pk=1, short_name="BENCH", name_kk="Сынақ университеті", name_ru="Тестовый университет")
    programme = Programme(
        pk=1,
        code="6B06101",
        name_kk="Ақпараттық жүйелер",
        name_ru="Информационные системы",
        department=Department(institution=institution),
        level="bachelor",
    )
    group = Group(pk=1, name="ИС-21-1", programme=programme, study_language="kk")
    commission = Commission(
        pk=1,
        institution=institution,
        name_kk="Мемлекеттік аттестаттау комиссиясы",
        name_ru="ГАК",
        form="complex_exam",
        order_number="12-Б",
        order_date=dt.date(2025, 4, 1),
    )
    sitting = Sitting(pk=1, commission=commission, date=dt.date(2025, 6, 2), starts_at=dt.time(9), ends_at=dt.time(14))
    rows = []
    for n in range(students):
        letter, gpa, lo, _hi, traditional, _five = DEFAULT_BANDS[n % len(DEFAULT_BANDS)]
        student = Student(
            pk=n + 1,
            group=group,
            iin=f"0101015{n:05d}"[:12],
            record_number=f"ST-{n:05d}",
            last_name_kk=SURNAMES[n % len(SURNAMES)],
            first_name_kk="Әлібек",
            last_name_ru="Касымов",
            first_name_ru="Алибек",
        )
        result = Result(points=Decimal(lo), letter=letter, gpa=Decimal(gpa), traditional=traditional)
        rows.append({"slot": Slot(pk=n + 1, student=student), "student": student, "result": result})
    people = [
        Membership(role=role, user=User(last_name=name, first_name="Ерлан"))
        for role, name in [("chair", "Төлеуов"), ("member", "Оспанова"), ("member", "Ілиясов"), ("secretary", "Бекова")]
    ]
    url = "https://portal.example.kz/verify/00000000-0000-0000-0000-000000000000/"
    return {
        "commission": commission,
        "institution": institution,
        "sitting": sitting,
        "rows": rows,
        "programmes": [programme],
        "groups": [group.name],
        "chair": people[0],
        "members": people[1:3],
        "secretary": people[3],
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def main() -> None:
    from weasyprint import HTML

    students = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    context = fake_context(students)
    with translation.override("kk"):
        html = render_to_string(TEMPLATE, {**context, "font_dir": FONT_DIR.as_uri(), "language": "kk"})
    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # warm the font cache for both paths
    app, plain, ratio = paired(
        lambda: pdf_bytes(template=TEMPLATE, context=context, language="kk"),
        lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(),
        runs,
    )
    pages = len(HTML(string=html, base_url=str(settings.BASE_DIR)).render().pages)
    line = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%MZ} students={students} pages={pages} runs={runs} "
        f"app_s={app:.3f} plain_weasyprint_s={plain:.3f} ratio={ratio:.3f}"
    )
    print(line)
    if os.environ.get("BENCH_NO_APPEND"):
        return
    with open(ROOT / "bench" / "VEDOMOST.md", "a", encoding="utf-8") as out:
        out.write(f"- {line}\n")


if __name__ == "__main__":
    main()
