"""Bulk import of students from a registrar's XLSX or CSV export: every row valid, or nothing is written."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from attestation.core.audit import audit_record
from attestation.institutions.models import Group, Institution, Student
from attestation.institutions.validators import validate_iin

User = get_user_model()

# Header aliases a registrar's export uses, in the three languages; compared lower-cased and trimmed.
COLUMNS = {
    "iin": ("iin", "жсн", "иин"),
    "record_number": ("student number", "record number", "студенттік нөмір", "номер студента", "id"),
    "last_name_kk": ("surname (kk)", "last name (kk)", "тегі", "фамилия (каз)"),
    "first_name_kk": ("first name (kk)", "аты", "имя (каз)"),
    "patronymic_kk": ("patronymic (kk)", "әкесінің аты", "отчество (каз)"),
    "last_name_ru": ("surname (ru)", "last name (ru)", "фамилия", "тегі (орыс)"),
    "first_name_ru": ("first name (ru)", "имя", "аты (орыс)"),
    "patronymic_ru": ("patronymic (ru)", "отчество", "әкесінің аты (орыс)"),
    "group": ("group", "топ", "группа"),
    "study_language": ("study language", "language", "оқу тілі", "язык обучения"),
    "email": ("e-mail", "email", "электрондық пошта", "эл. почта"),
}
REQUIRED = ("iin", "last_name_kk", "first_name_kk", "last_name_ru", "first_name_ru", "group", "study_language")
LANGUAGES = {
    "kk": "kk",
    "қаз": "kk",
    "қазақ": "kk",
    "қазақша": "kk",
    "казахский": "kk",
    "каз": "kk",
    "kazakh": "kk",
    "ru": "ru",
    "орыс": "ru",
    "орысша": "ru",
    "русский": "ru",
    "рус": "ru",
    "russian": "ru",
    "en": "en",
    "ағылшын": "en",
    "английский": "en",
    "english": "en",
}
MAX_ROWS = 20000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(upload, kind: str) -> list[list[str]]:
    """The file's rows as lists of strings (header first)."""
    if kind == "xlsx":
        try:
            sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise ValidationError(_("The XLSX file cannot be read: %(error)s") % {"error": exc}) from exc
        return [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    raw = upload.read()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The CSV file is neither UTF-8 nor Windows-1251 text."))
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    index, problems = {}, []
    lowered = [h.strip().lower() for h in header]
    for name, aliases in COLUMNS.items():
        for i, h in enumerate(lowered):
            if h == name or h in aliases:
                index[name] = i
                break
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in index]
    if missing:
        problems.append(_("The header row lacks the columns: %(cols)s.") % {"cols": ", ".join(missing)})
    return index, problems


def _row_problems(values: dict, groups: dict, seen_iins: set) -> list[str]:
    problems = [_("%(col)s is empty") % {"col": COLUMNS[name][0]} for name in REQUIRED if not values.get(name)]
    iin = values.get("iin", "")
    if iin:
        try:
            validate_iin(iin)
        except ValidationError as exc:
            problems.extend(exc.messages)
        if iin in seen_iins:
            problems.append(_("IIN %(iin)s appears twice in the file") % {"iin": iin})
        seen_iins.add(iin)
    if values.get("group") and values["group"] not in groups:
        problems.append(_("no group %(group)s in this institution") % {"group": values["group"]})
    if values.get("study_language") and values["study_language"].lower() not in LANGUAGES:
        problems.append(_("unknown language of study: %(lang)s") % {"lang": values["study_language"]})
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(_("not an e-mail address: %(email)s") % {"email": values["email"]})
    return problems


def _normalise(cell: str) -> str:
    # Spreadsheets turn an IIN into a number: 990101300123 or 990101300123.0; a leading zero may be lost.
    if cell.endswith(".0") and cell[:-2].isdigit():
        cell = cell[:-2]
    return cell


def students_import(*, actor, institution: Institution, rows: list[list[str]]) -> ImportResult:
    """Validates every row; writes nothing unless every row is valid, then creates or updates by IIN."""
    result = ImportResult()
    body = [r for r in rows[1:] if any(c for c in r)]
    if not rows or not body:
        result.errors.append((1, _("The file has no student rows.")))
        return result
    if len(body) > MAX_ROWS:
        result.errors.append((1, _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
        return result
    index, header_problems = _header_map(rows[0])
    if header_problems:
        result.errors.extend((1, p) for p in header_problems)
        return result
    groups = {g.name: g for g in Group.objects.filter(programme__department__institution=institution)}
    parsed, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(c for c in row):
            continue
        values = {name: _normalise(row[i]) if i < len(row) else "" for name, i in index.items()}
        if values.get("iin", "").isdigit() and len(values["iin"]) == 11:
            values["iin"] = "0" + values["iin"]
        problems = _row_problems(values, groups, seen)
        if problems:
            result.errors.append((number, "; ".join(problems)))
        parsed.append(values)
    if result.errors:
        return result
    _write(actor=actor, institution=institution, parsed=parsed, groups=groups, result=result)
    return result


@transaction.atomic
def _write(*, actor, institution, parsed, groups, result) -> None:
    existing = {s.iin: s for s in Student.objects.filter(institution=institution, iin__in=[v["iin"] for v in parsed])}
    fields = [n for n in COLUMNS if n not in ("iin", "group", "study_language")]
    new_students, changed = [], []
    for values in parsed:
        student = existing.get(values["iin"]) or Student(institution=institution, iin=values["iin"])
        for name in fields:
            setattr(student, name, values.get(name, "") or getattr(student, name, ""))
        student.group = groups[values["group"]]
        student.study_language = LANGUAGES[values["study_language"].lower()]
        (changed if student.pk else new_students).append(student)
    users = {u.username: u for u in User.objects.filter(username__in=[s.iin for s in new_students])}
    to_create = [
        User(
            username=s.iin,
            email=s.email,
            first_name=s.first_name_kk,
            last_name=s.last_name_kk,
            patronymic=s.patronymic_kk,
            preferred_language=s.study_language,
        )
        for s in new_students
        if s.iin not in users
    ]
    for user in to_create:
        user.set_unusable_password()
    User.objects.bulk_create(to_create, batch_size=1000)
    users.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in to_create])})
    for student in new_students:
        student.user = users[student.iin]
    Student.objects.bulk_create(new_students, batch_size=1000)
    Student.objects.bulk_update(changed, [*fields, "group", "study_language"], batch_size=1000)
    result.created, result.updated = len(new_students), len(changed)
    audit_record(
        actor=actor, verb="students.import", obj=institution, after={"created": result.created, "updated": result.updated}
    )


def template_csv() -> str:
    """The header row the import reads (each column's first name), as a CSV a registrar fills in."""
    out = io.StringIO()
    csv.writer(out).writerow([aliases[0] for aliases in COLUMNS.values()])
    return out.getvalue()
