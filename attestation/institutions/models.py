import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from attestation.core.constraints import ChecksInOneQuery
from attestation.core.i18n import LocalizedName, localized
from attestation.institutions.policy_limits import limit_constraints, limit_errors, range_constraints, range_errors
from attestation.institutions.validators import validate_iin

LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class Institution(LocalizedName, models.Model):
    class Kind(models.TextChoices):
        HEI = "hei", _("University (higher education)")
        TVET = "tvet", _("College (technical and vocational education)")

    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        default="Asia/Almaty",
        choices=[("Asia/Almaty", _("Almaty")), ("Asia/Aqtobe", _("Aqtobe")), ("Asia/Oral", _("Oral"))],
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["short_name"]


class Policy(ChecksInOneQuery, models.Model):  # 75 check constraints: validated in one query
    """Every number of the rules for one institution and academic year, with the documents' defaults."""

    class VoteMode(models.TextChoices):
        SECRET = "secret", _("secret ballot")
        OPEN = "open", _("open collegial discussion")

    class GradeRule(models.TextChoices):
        MEAN_POINTS = "mean_points", _("mean of the members' points → letter")
        MAJORITY_LETTER = "majority_letter", _("majority of letters, the chair's vote decides a tie")

    class PublicResults(models.TextChoices):
        NONE = "none", _("not published on the site")
        NUMBER_AND_GRADE = "number_grade", _("student number and grade, no names")

    class CutoffAction(models.TextChoices):
        TO_F = "to_f", _("convert to F")
        FLAG = "flag", _("flag for the department")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="policies")
    academic_year = models.PositiveSmallIntegerField(
        _("academic year (first calendar year)"), help_text=_("2025 means the academic year 2025-2026.")
    )
    defense_total_minutes = models.PositiveSmallIntegerField(_("defense: total per student, minutes"), default=15)
    speech_min_minutes = models.PositiveSmallIntegerField(_("defense: speech, at least, minutes"), default=7)
    speech_max_minutes = models.PositiveSmallIntegerField(_("defense: speech, at most, minutes"), default=10)
    defense_questions_max = models.PositiveSmallIntegerField(_("defense: oral questions, at most"), default=3)
    sitting_max_hours = models.DecimalField(_("sitting: at most hours a day"), max_digits=3, decimal_places=1, default=5)
    identification_minutes_before = models.PositiveSmallIntegerField(
        _("identification: minutes before the start"), default=30
    )
    written_exam_academic_hours = models.PositiveSmallIntegerField(
        _("written exam: time to answer, academic hours"), default=2
    )
    academic_hour_minutes = models.PositiveSmallIntegerField(_("academic hour, minutes"), default=50)
    oral_questioning_delay_minutes = models.PositiveSmallIntegerField(
        _("oral exam: questioning starts after the last draw, minutes"), default=30
    )
    written_grading_hours = models.PositiveSmallIntegerField(_("written answers graded within, hours"), default=2)
    written_questions_max = models.PositiveSmallIntegerField(_("questions in writing when video fails, at most"), default=3)
    slot_minutes = models.PositiveSmallIntegerField(_("schedule: minutes per student"), default=15)
    sitting_day_start = models.TimeField(_("timetable: sittings start at the earliest"), default=dt.time(9, 0))
    sitting_day_end = models.TimeField(_("timetable: sittings end at the latest"), default=dt.time(18, 0))
    break_minutes = models.PositiveSmallIntegerField(_("timetable: break, minutes"), default=15)
    break_after_minutes = models.PositiveSmallIntegerField(
        _("timetable: a break after at most this many minutes of students (0: none)"), default=120
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("schedule: reminder with the meeting link, days before"), default=1
    )
    appeal_window_working_days = models.PositiveSmallIntegerField(_("appeal: window to file, working days"), default=2)
    appeal_hearing_working_days = models.PositiveSmallIntegerField(_("appeal: hearing within, working days"), default=2)
    appeal_answer_working_days = models.PositiveSmallIntegerField(_("appeal: answer within, working days"), default=1)
    cutoff_date = models.DateField(_("cutoff for postponements and I grades"))
    i_grade_cutoff_action = models.CharField(
        _("at the cutoff, an open I grade is"), max_length=10, choices=CutoffAction.choices, default=CutoffAction.TO_F
    )
    documents_due_days_before = models.PositiveSmallIntegerField(
        _("thesis documents due, days before the defense"), default=21
    )
    thesis_pdf_days_before = models.PositiveSmallIntegerField(_("thesis PDF due, days before the defense"), default=2)
    plagiarism_max_checks = models.PositiveSmallIntegerField(_("plagiarism checks, at most"), default=2)
    acquaintance_working_days = models.PositiveSmallIntegerField(
        _("acquaintance with the procedure, working days before"), default=20
    )
    webinar_min_working_days = models.PositiveSmallIntegerField(
        _("instruction webinar, at least working days before"), default=3
    )
    webinar_max_working_days = models.PositiveSmallIntegerField(
        _("instruction webinar, at most working days before"), default=5
    )
    commission_approval_months = models.PositiveSmallIntegerField(_("commission approved, months before"), default=1)
    programme_approval_months = models.PositiveSmallIntegerField(
        _("exam programme approved, months before review lectures"), default=2
    )
    programme_handover_months = models.PositiveSmallIntegerField(
        _("exam programme handed to the secretary, months before"), default=1
    )
    recordings_publish_days_before = models.PositiveSmallIntegerField(
        _("review lecture recordings published, days before the lectures"), default=14
    )
    preparation_reminder_working_days = models.PositiveSmallIntegerField(
        _("remind the department head, working days before each step"), default=3
    )
    portfolio_days = models.PositiveSmallIntegerField(_("commission portfolio, days after the degree order"), default=3)
    portfolio_id_copies = models.BooleanField(_("commission portfolio includes the students' ID copies"), default=False)
    thesis_advisers_may_not_grade = models.BooleanField(
        _("the thesis's supervisor and reviewer may not grade its defense as commission members"), default=True
    )
    identification_by_id_system = models.BooleanField(
        _("students are identified with an identification system, without an ID copy"), default=False
    )
    staff_invitation_days = models.PositiveSmallIntegerField(
        _("staff invitation: the e-mailed link is valid, days"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    recording_retention_days = models.PositiveSmallIntegerField(
        _("video recordings: kept, days after the sitting"), default=365
    )
    testing_questions = models.PositiveSmallIntegerField(_("testing: questions in a test"), default=50)
    testing_minutes = models.PositiveSmallIntegerField(_("testing: time for the test, minutes"), default=90)
    testing_results_warn_hours = models.PositiveSmallIntegerField(
        _("testing: warn the secretary this many hours before the testing day ends without results announced"),
        default=2,
    )
    take_home_hours = models.PositiveSmallIntegerField(
        _("open-book take-home exam: the work is due, hours after the assignment is drawn"), default=24
    )
    degree_vote_mode = models.CharField(_("degree vote"), max_length=10, choices=VoteMode.choices, default=VoteMode.SECRET)
    # A new commission copies these five; its chair or the department head may then change them for it.
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: share of the voting members present, numerator"), default=2
    )
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: share, denominator"), default=3)
    honours_min_gpa = models.DecimalField(
        _("honours diploma: GPA at least"), max_digits=3, decimal_places=2, default=Decimal("3.50")
    )
    honours_min_discipline_gpa = models.DecimalField(
        _("honours diploma: every exam grade's GPA points at least"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("2.33"),
    )
    honours_min_attestation_gpa = models.DecimalField(
        _("honours diploma: complex exam or thesis GPA points at least"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("3.67"),
    )
    commission_grade_rule = models.CharField(
        _("commission's grade"), max_length=20, choices=GradeRule.choices, default=GradeRule.MEAN_POINTS
    )
    public_results = models.CharField(
        _("results on the institution's site"),
        max_length=20,
        choices=PublicResults.choices,
        default=PublicResults.NONE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["institution", "-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "academic_year"], name="policy_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(speech_min_minutes__lte=models.F("speech_max_minutes")),
                name="policy_speech_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(speech_max_minutes__lte=models.F("defense_total_minutes")),
                name="policy_speech_within_defense",
            ),
            models.CheckConstraint(
                condition=models.Q(webinar_min_working_days__lte=models.F("webinar_max_working_days")),
                name="policy_webinar_min_le_max",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="policy_quorum_is_a_share",
            ),
            models.CheckConstraint(
                condition=models.Q(sitting_day_start__lt=models.F("sitting_day_end")),
                name="policy_sitting_day_ordered",
            ),
            *limit_constraints(),
            *range_constraints(),
        ]

    def __str__(self) -> str:
        return f"{self.institution.short_name} {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year}-{self.academic_year + 1}"

    @property
    def written_exam_minutes(self) -> int:
        return self.written_exam_academic_hours * self.academic_hour_minutes

    def clean(self) -> None:
        errors = {**range_errors(self), **limit_errors(self)}
        if self.speech_min_minutes and self.speech_max_minutes and self.speech_min_minutes > self.speech_max_minutes:
            errors["speech_min_minutes"] = _("The shortest speech cannot be longer than the longest.")
        if self.speech_max_minutes and self.defense_total_minutes and self.speech_max_minutes > self.defense_total_minutes:
            errors["speech_max_minutes"] = _("The speech cannot be longer than the whole defense.")
        if (
            self.webinar_min_working_days
            and self.webinar_max_working_days
            and self.webinar_min_working_days > self.webinar_max_working_days
        ):
            errors["webinar_min_working_days"] = _("The earliest and latest webinar days are swapped.")
        if self.quorum_numerator and self.quorum_denominator and self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = _(
                "The quorum is a share of the members: the numerator cannot exceed the denominator."
            )
        if self.sitting_day_start and self.sitting_day_end and self.sitting_day_start >= self.sitting_day_end:
            errors["sitting_day_end"] = _("Sittings must end after they start.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def default_cutoff(academic_year: int) -> dt.date:
        return dt.date(academic_year + 1, 6, 30)


class Faculty(LocalizedName, models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="faculties")
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("faculty / institute")
        verbose_name_plural = _("faculties / institutes")


class Department(LocalizedName, models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="departments")
    faculty = models.ForeignKey(
        Faculty,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("faculty / institute"),
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def clean(self) -> None:
        if self.faculty is not None and self.institution_id and self.faculty.institution_id != self.institution_id:
            raise ValidationError({"faculty": _("The faculty belongs to another institution.")})


class Programme(LocalizedName, models.Model):
    class Level(models.TextChoices):
        BACHELOR = "bachelor", _("bachelor")
        MASTER = "master", _("master")
        COLLEGE = "college", pgettext_lazy("programme level", "college qualification")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("department")
    )
    code = models.CharField(_("code"), max_length=20)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # Colleges' arts and culture profile (R46): only its students are graded from the half-year average and the
    # creative characteristic.
    arts_and_culture = models.BooleanField(
        _("arts and culture profile"),
        default=False,
        help_text=_(
            "A college programme of the arts and culture profile: its results come from the half-year average "
            "and the creative characteristic."
        ),
    )

    class Meta:
        verbose_name = _("educational programme")
        verbose_name_plural = _("educational programmes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="programme_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Group(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=50)
    study_language = models.CharField(_("language of study"), max_length=2, choices=LANGUAGE_CHOICES)

    class Meta:
        verbose_name = _("academic group")
        verbose_name_plural = _("academic groups")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="group_name_unique")]

    def __str__(self) -> str:
        return self.name


class Discipline(LocalizedName, models.Model):
    class Category(models.TextChoices):
        GENERAL = "general", _("general")
        BASIC = "basic", _("basic")
        PROFILING = "profiling", _("profiling")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="disciplines")
    code = models.CharField(_("code"), max_length=30)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    credits = models.PositiveSmallIntegerField(_("credits"), default=5)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="discipline_code_unique")]


class AttestationPeriod(LocalizedName, models.Model):
    """The dates an institution holds a final or intermediate attestation in one academic year."""

    class Kind(models.TextChoices):
        FINAL = "final", _("final attestation")
        INTERMEDIATE = "intermediate", _("intermediate attestation")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="periods")
    academic_year = models.PositiveSmallIntegerField(_("academic year (first calendar year)"))
    kind = models.CharField(_("attestation"), max_length=12, choices=Kind.choices, default=Kind.FINAL)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("attestation period")
        verbose_name_plural = _("attestation periods")
        ordering = ["-academic_year", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_on__lte=models.F("ends_on")), name="period_ordered"),
        ]

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("The period must end after it starts.")})


# The roles a person is invited for (Staff.roles holds these keys): administrator, head of department and registrar
# are rows of their own as well (InstitutionAdmin, DepartmentHead, Registrar); the commission roles say whom to offer
# when a commission is formed.
STAFF_ROLES = {
    "admin": _("institution administrator"),
    "head": _("head of department"),
    "chair": _("commission chair"),
    "member": _("commission member"),
    "secretary": _("technical secretary"),
    "registrar": _("registrar office"),
    "appeal": _("appeal commission member"),
}


class Staff(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_posts")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="staff")
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff")
    position = models.CharField(_("position"), max_length=255)
    is_administrative = models.BooleanField(
        _("administrative staff"), default=False, help_text=_("Administrative staff may not sit on an appeal commission.")
    )
    external_organisation = models.CharField(_("organisation (external members)"), max_length=255, blank=True)
    # The roles the person was invited for (STAFF_ROLES keys): the head and registrar roles are rows of their own
    # as well; the commission roles say whom to offer when a commission is formed.
    roles = models.JSONField(_("roles"), default=list, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="staff_once_per_institution")]

    def __str__(self) -> str:
        return f"{self.user} — {self.position}"

    def clean(self) -> None:
        if self.department is not None and self.institution_id and self.department.institution_id != self.institution_id:
            raise ValidationError({"department": _("The department belongs to another institution.")})


class Student(models.Model):
    audit_subjects = ("self",)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="student"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="students")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="students")
    iin = models.CharField(_("IIN"), max_length=12, validators=[validate_iin])
    record_number = models.CharField(_("student number"), max_length=30, blank=True)
    last_name_kk = models.CharField(_("surname (Kazakh)"), max_length=100)
    first_name_kk = models.CharField(_("first name (Kazakh)"), max_length=100)
    patronymic_kk = models.CharField(_("patronymic (Kazakh)"), max_length=100, blank=True)
    last_name_ru = models.CharField(_("surname (Russian)"), max_length=100)
    first_name_ru = models.CharField(_("first name (Russian)"), max_length=100)
    patronymic_ru = models.CharField(_("patronymic (Russian)"), max_length=100, blank=True)
    study_language = models.CharField(_("language of study"), max_length=2, choices=LANGUAGE_CHOICES)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name_kk", "first_name_kk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "iin"], name="student_iin_unique"),
            models.CheckConstraint(condition=models.Q(iin__regex=r"^[0-9]{12}$"), name="student_iin_12_digits"),
        ]

    @property
    def full_name_kk(self) -> str:
        return " ".join(p for p in (self.last_name_kk, self.first_name_kk, self.patronymic_kk) if p)

    @property
    def full_name_ru(self) -> str:
        return " ".join(p for p in (self.last_name_ru, self.first_name_ru, self.patronymic_ru) if p)

    @property
    def full_name(self) -> str:
        return localized(self, "full_name")

    def __str__(self) -> str:
        return self.full_name


class DepartmentHead(models.Model):
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="heads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="department_headships")

    class Meta:
        verbose_name = _("head of department")
        verbose_name_plural = _("heads of department")
        constraints = [models.UniqueConstraint(fields=["department", "user"], name="department_head_unique")]


class Registrar(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="registrars")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrar_posts")

    class Meta:
        verbose_name = _("registrar office")
        verbose_name_plural = _("registrar office")
        constraints = [models.UniqueConstraint(fields=["institution", "user"], name="registrar_unique")]


class InstitutionAdmin(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="admins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_admin_posts")

    class Meta:
        verbose_name = _("institution administrator")
        verbose_name_plural = _("institution administrators")
        constraints = [models.UniqueConstraint(fields=["institution", "user"], name="institution_admin_unique")]


def student_import_path(instance: "StudentImport", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"imports/students/{instance.institution_id}/{uuid.uuid4().hex}.{ext}"


class StudentImport(models.Model):
    """A student file: checked first (a dry run, nothing written), then imported in the request or, when large, by
    the worker as one of the core's jobs (attestation.core.jobs) while the page shows its progress."""

    class State(models.TextChoices):
        CHECKED = "checked", _("checked, not imported yet")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("rejected")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="student_imports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=student_import_path)
    file_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=4)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKED)
    rows = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [row, column, problem]
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("student import")
        verbose_name_plural = _("student imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
