"""Bulk import of students from a registrar's XLSX or CSV export (and the API's batches): every row valid, or nothing
is written; a dry run says what is wrong (row, column, why) or what would change, before anything is written."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from attestation.core.audit import audit_record
from attestation.core.csv_table import csv_rows
from attestation.core.jobs import JobRejected, job_progress, job_queue, job_run_once
from attestation.institutions.models import Group, Institution, Student, StudentImport
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
PROGRESS_EVERY = 500
SYNC_MAX_ROWS = 1000  # a larger file is imported by the worker, with a progress bar


Progress = Callable[[int], None]
FIELDS = [n for n in COLUMNS if n not in ("iin", "group", "study_language")]


@dataclass
class ImportResult:
    """What an import did, or, on a dry run, would do; `errors` are (row, column, problem), row 1 the header."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)

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
    return [[c.strip() for c in row] for row in csv_rows(upload.read())]


# The template's header in each interface language (every cell is one of COLUMNS' aliases, so the import reads it).
TEMPLATE_HEADERS = {
    "kk": ("ЖСН", "Студенттік нөмір", "Тегі", "Аты", "Әкесінің аты", "Тегі (орыс)", "Аты (орыс)",
           "Әкесінің аты (орыс)", "Топ", "Оқу тілі", "Электрондық пошта"),
    "ru": ("ИИН", "Номер студента", "Фамилия (каз)", "Имя (каз)", "Отчество (каз)", "Фамилия", "Имя", "Отчество",
           "Группа", "Язык обучения", "Эл. почта"),
    "en": ("IIN", "Student number", "Surname (kk)", "First name (kk)", "Patronymic (kk)", "Surname (ru)",
           "First name (ru)", "Patronymic (ru)", "Group", "Study language", "E-mail"),
}  # fmt: skip


def _labels() -> dict[str, str]:
    """Each column's name as the template of the current language writes it (errors name the column so)."""
    header = TEMPLATE_HEADERS.get(get_language() or "kk", TEMPLATE_HEADERS["kk"])
    return dict(zip(COLUMNS, header, strict=True))


def _header_map(header: list[str]) -> tuple[dict[str, int], list[tuple[int, str, str]]]:
    index: dict[str, int] = {}
    lowered = [h.strip().lower() for h in header]
    for name, aliases in COLUMNS.items():
        for i, h in enumerate(lowered):
            if h == name or h in aliases:
                index[name] = i
                break
    labels = _labels()
    missing = [(1, labels[name], _("the header row lacks this column")) for name in REQUIRED if name not in index]
    return index, missing


@dataclass
class _Check:
    """One pass over the file: the rows as values, each row's student (None: a new one), what is wrong."""

    index: dict[str, int]
    header: list[str]
    values: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    groups: dict[str, Group] = field(default_factory=dict)
    targets: list[Student | None] = field(default_factory=list)

    def column(self, name: str) -> str:
        """The column as the file names it, so the person finds it in their own file."""
        i = self.index.get(name)
        return self.header[i] if i is not None and i < len(self.header) and self.header[i] else _labels()[name]


def _normalise(cell: str) -> str:
    # Spreadsheets turn an IIN into a number: 990101300123 or 990101300123.0; a leading zero may be lost.
    if cell.endswith(".0") and cell[:-2].isdigit():
        cell = cell[:-2]
    return cell


def _row_values(row: list[str], index: dict[str, int]) -> dict[str, str]:
    values = {name: _normalise(row[i]) if i < len(row) else "" for name, i in index.items()}
    if values.get("iin", "").isdigit() and len(values["iin"]) == 11:
        values["iin"] = "0" + values["iin"]
    return values


def _row_problems(values: dict[str, str], check: _Check, seen: dict[str, set]) -> list[tuple[str, str]]:
    """(column, problem) for one row, without the database (the students it names are matched afterwards)."""
    problems = [(name, _("empty")) for name in REQUIRED if not values.get(name)]
    iin = values.get("iin", "")
    if iin:
        try:
            validate_iin(iin)
        except ValidationError as exc:
            problems.extend(("iin", m) for m in exc.messages)
    for name in ("iin", "record_number"):
        value = values.get(name, "")
        if value and value in seen[name]:
            problems.append((name, _("%(value)s appears twice in the file") % {"value": value}))
        seen[name].add(value)
    if values.get("group") and values["group"] not in check.groups:
        problems.append(("group", _("no group %(group)s in this institution") % {"group": values["group"]}))
    if values.get("study_language") and values["study_language"].lower() not in LANGUAGES:
        problems.append(("study_language", _("unknown language of study: %(lang)s") % {"lang": values["study_language"]}))
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(("email", _("not an e-mail address: %(email)s") % {"email": values["email"]}))
    return problems


def _match(check: _Check, institution: Institution, result: ImportResult) -> None:
    """Each row's student: by IIN, else by the institution's own student number (a corrected IIN); two rows of the
    file naming two different known students is an error of the row."""
    rows = [v for _n, v in check.values]
    by_iin = {s.iin: s for s in Student.objects.filter(institution=institution, iin__in=[v["iin"] for v in rows])}
    numbers = [v["record_number"] for v in rows if v.get("record_number")]
    by_number = {s.record_number: s for s in Student.objects.filter(institution=institution, record_number__in=numbers)}
    for number, values in check.values:
        student = by_iin.get(values["iin"])
        known = by_number.get(values.get("record_number", ""))
        if student and known and known.pk != student.pk:
            problem = _("this student number belongs to another student (IIN %(iin)s)") % {"iin": known.iin}
            result.errors.append((number, check.column("record_number"), problem))
        check.targets.append(student or known)


def _check(*, institution: Institution, rows: list[list[str]], result: ImportResult, progress: Progress | None):
    body = [r for r in rows[1:] if any(c for c in r)]
    if not rows or not body:
        result.errors.append((1, "", _("The file has no student rows.")))
        return None
    if len(body) > MAX_ROWS:
        result.errors.append((1, "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}))
        return None
    index, missing = _header_map(rows[0])
    if missing:
        result.errors.extend(missing)
        return None
    check = _Check(index=index, header=list(rows[0]))
    check.groups = {g.name: g for g in Group.objects.filter(programme__department__institution=institution)}
    seen: dict[str, set] = {"iin": set(), "record_number": set()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c for c in row):
            continue
        values = _row_values(row, index)
        result.errors.extend((number, check.column(c), p) for c, p in _row_problems(values, check, seen))
        check.values.append((number, values))
        if progress and number % PROGRESS_EVERY == 0:
            progress(number)
    result.rows = len(check.values)
    if not result.errors:
        _match(check, institution, result)
    return None if result.errors else check


def _apply(student: Student, values: dict[str, str], groups: dict[str, Group]) -> bool:
    """Sets the row's values on the student; True when anything differs (an empty cell keeps what is there)."""
    wanted: dict[str, object] = {name: values.get(name, "") or getattr(student, name, "") for name in FIELDS}
    wanted.update(
        iin=values["iin"],
        group_id=groups[values["group"]].pk,
        study_language=LANGUAGES[values["study_language"].lower()],
    )
    changed = any(getattr(student, name) != value for name, value in wanted.items())
    for name, value in wanted.items():
        setattr(student, name, value)
    return changed


def students_import(
    *, actor, institution: Institution, rows: list[list[str]], dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Checks every row; writes nothing unless every row is valid, then creates or updates each student by IIN
    (or by the institution's student number). A dry run only counts what it would create, update or leave alone;
    the same file imported twice changes nothing the second time. The API and the file import both come here."""
    result = ImportResult()
    check = _check(institution=institution, rows=rows, result=result, progress=progress)
    if check is None:
        return result
    new, changed = [], []
    for (_number, values), target in zip(check.values, check.targets, strict=True):
        student = target or Student(institution=institution)
        if _apply(student, values, check.groups):
            (changed if student.pk else new).append(student)
    result.created, result.updated = len(new), len(changed)
    result.unchanged = result.rows - result.created - result.updated
    if not dry_run:
        _write(actor=actor, institution=institution, new=new, changed=changed, result=result)
    if progress:
        progress(2 * len(rows))
    return result


@transaction.atomic
def _write(*, actor, institution: Institution, new: list[Student], changed: list[Student], result: ImportResult):
    users = {u.username: u for u in User.objects.filter(username__in=[s.iin for s in new])}
    to_create = [
        User(
            username=s.iin,
            email=s.email,
            first_name=s.first_name_kk,
            last_name=s.last_name_kk,
            patronymic=s.patronymic_kk,
            preferred_language=s.study_language,
        )
        for s in new
        if s.iin not in users
    ]
    for user in to_create:
        user.set_unusable_password()
    User.objects.bulk_create(to_create, batch_size=1000)
    users.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in to_create])})
    for student in new:
        student.user = users[student.iin]
    try:
        with transaction.atomic():
            Student.objects.bulk_create(new, batch_size=1000)
            Student.objects.bulk_update(changed, [*FIELDS, "iin", "group", "study_language"], batch_size=1000)
    except IntegrityError as exc:
        raise ValidationError(_("Another import wrote the same students just now; check the file again.")) from exc
    after = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    audit_record(actor=actor, verb="students.import", obj=institution, after=after)


def template_csv() -> str:
    """The header row the import reads, in the current language, as a CSV a registrar fills in."""
    out = io.StringIO()
    csv.writer(out).writerow(_labels().values())
    return out.getvalue()


def template_xlsx() -> bytes:
    """The same header as an XLSX workbook: the header frozen, the IIN and student number columns kept as text
    (a spreadsheet would otherwise drop an IIN's leading zero)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Students")[:31]
    sheet.append(list(_labels().values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    for letter in ("A", "B"):
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the import page's flow: check the file (dry run), then import it, a large one in the worker --------------------


def student_import_check(*, actor, institution: Institution, upload, kind: str) -> StudentImport:
    """Keeps the file and checks it without writing a student: the row holds every error (row, column, why), or
    how many students the import would create, update and leave as they are."""
    rows = read_rows(upload, kind)
    upload.seek(0)
    result = students_import(actor=actor, institution=institution, rows=rows, dry_run=True)
    job = StudentImport.objects.create(
        institution=institution,
        requested_by=actor,
        file=upload,
        file_name=str(upload.name)[:255],
        kind=kind,
        rows=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=[list(e) for e in result.errors],
        created_at=timezone.now(),
    )
    audit_record(actor=actor, verb="students.check", obj=job, after={"rows": result.rows, "errors": len(result.errors)})
    return job


def student_import_start(*, actor, job: StudentImport) -> StudentImport:
    """Imports a checked file once: a small one at once, a large one in the worker (the page shows its progress)."""
    if job.errors:
        raise ValidationError(_("The file has errors: correct them and check the file again."))
    if (
        StudentImport.objects.filter(pk=job.pk, state=StudentImport.State.CHECKED).update(state=StudentImport.State.QUEUED)
        != 1
    ):
        raise ValidationError(_("This file has already been imported."))
    audit_record(actor=actor, verb="students.import_start", obj=job, after={"rows": job.rows})
    if job.rows > SYNC_MAX_ROWS:
        with transaction.atomic():
            job_queue(job)
    else:
        student_import_run(job_pk=job.pk)
    job.refresh_from_db()
    return job


def student_import_run(*, job_pk: int) -> None:
    """Runs a queued import once (a second delivery finds it claimed); the rows are checked again, since the
    institution may have changed since the dry run."""

    def work(job: StudentImport) -> dict[str, int]:
        with job.file.open("rb") as handle:
            rows = read_rows(handle, job.kind)
        job_progress(StudentImport, job_pk, total=2 * len(rows))
        result = students_import(
            actor=job.requested_by,
            institution=job.institution,
            rows=rows,
            progress=lambda n: job_progress(StudentImport, job_pk, done=n),
        )
        if not result.ok:
            raise JobRejected(errors=[list(e) for e in result.errors])
        return {"done": 2 * len(rows), "created": result.created, "updated": result.updated, "unchanged": result.unchanged}

    job_run_once(StudentImport, job_pk, work, failed=lambda messages: {"errors": [[1, "", m] for m in messages]})
