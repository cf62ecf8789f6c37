"""Exam programmes, question lists, tickets and draws; the live attempt of each slot and its record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from attestation.institutions.policy_limits import range_constraints

# The commission's testing numbers and the policy fields whose lawful ranges bound them.
TEST_FIELDS = {"testing_questions": "test_questions", "testing_minutes": "test_minutes"}


class ExamSettings(models.Model):
    """The exam-day numbers a commission needs that the institution's policy does not (yet) hold."""

    audit_subjects = ("commission",)

    class Format(models.TextChoices):
        ORAL = "oral", _("oral exam online")
        WRITTEN = "written", _("written exam")
        TESTING = "testing", _("computer-based testing")
        TAKE_HOME = "take_home", _("open-book take-home exam")
        CREATIVE = "creative", _("creative exam")

    commission = models.OneToOneField("commissions.Commission", on_delete=models.CASCADE, related_name="exam_settings")
    exam_format = models.CharField(_("exam format"), max_length=10, choices=Format.choices, default=Format.ORAL)
    questions_per_ticket = models.PositiveSmallIntegerField(_("questions per ticket"), default=3)
    tickets_with_replacement = models.BooleanField(
        _("a drawn ticket goes back (with replacement)"),
        default=False,
        help_text=_("Without replacement no two students of one sitting get the same ticket."),
    )
    upload_grace_minutes = models.PositiveSmallIntegerField(_("answer-sheet upload grace, minutes"), default=5)
    answer_sheet_max_mb = models.PositiveSmallIntegerField(_("answer sheet, at most MB per file"), default=10)
    # Testing (R26, R30): the commission's own numbers within the policy's lawful ranges; empty means the policy's.
    test_questions = models.PositiveSmallIntegerField(_("testing: questions in the test"), null=True, blank=True)
    test_minutes = models.PositiveSmallIntegerField(_("testing: time for the test, minutes"), null=True, blank=True)
    test_url = models.URLField(_("testing: link to the test in the testing system"), blank=True)
    # Colleges (001): complex testing covers the questions of several disciplines and/or professional modules.
    test_modules = models.TextField(
        _("testing: disciplines and professional modules the test covers, one per line"), blank=True
    )

    # The formats beyond the usual oral and written exam (R26): pages and documents name them beside the form.
    NAMED_FORMATS = (Format.TESTING, Format.TAKE_HOME, Format.CREATIVE)

    @property
    def modules(self) -> list[str]:
        return [line.strip() for line in self.test_modules.splitlines() if line.strip()]

    @property
    def is_named_format(self) -> bool:
        return self.exam_format in self.NAMED_FORMATS

    class Meta:
        verbose_name = _("exam settings")
        verbose_name_plural = _("exam settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(upload_grace_minutes__lte=30), name="exam_grace_at_most_30"),
            models.CheckConstraint(condition=models.Q(questions_per_ticket__gte=1), name="exam_ticket_has_questions"),
            *range_constraints(("testing_questions", "testing_minutes"), prefix="exam", names=TEST_FIELDS),
        ]


class ExamProgramme(models.Model):
    """The complex/state exam programme and its question list, approved by the department head (R4, R14)."""

    audit_subjects = ("commission",)

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    commission = models.ForeignKey("commissions.Commission", on_delete=models.CASCADE, related_name="exam_programmes")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("programme document (PDF/DOCX)"), upload_to="exams/programmes/%Y/", blank=True)
    question_list_file = models.FileField(_("question list (PDF/DOCX)"), upload_to="exams/programmes/%Y/", blank=True)
    review_lectures_on = models.DateField(_("review lectures start"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("exam programme")
        verbose_name_plural = _("exam programmes")
        ordering = ["commission", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "version"], name="exam_programme_version_once"),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="exam_programme_approved_has_who_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.state == self.State.APPROVED


class Question(models.Model):
    audit_subjects = ("programme__commission",)
    programme = models.ForeignKey(ExamProgramme, on_delete=models.CASCADE, related_name="questions")
    section = models.CharField(_("section / discipline"), max_length=255)
    # The institution's discipline the section names (by its code or one of its names), when there is one: a ticket
    # then names it in the ticket's language.
    discipline = models.ForeignKey(
        "institutions.Discipline",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discipline"),
    )
    number = models.PositiveSmallIntegerField(_("No."))
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("question list")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="question_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    def section_in(self, language: str) -> str:
        """The section as a ticket in `language` names it: the discipline's Kazakh name on a Kazakh ticket, its
        Russian name where it has no Kazakh one or the ticket is Russian; the section as typed without a discipline."""
        if self.discipline is None:
            return self.section
        names = {"kk": ("kk", "ru"), "en": ("en", "ru")}.get(language, ("ru", "kk"))
        return next((value for code in names if (value := getattr(self.discipline, f"name_{code}"))), self.section)


class TicketSet(models.Model):
    """One version of a programme's tickets. Approved sets are frozen: a change is a new version."""

    audit_subjects = ("programme__commission",)

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    programme = models.ForeignKey(ExamProgramme, on_delete=models.CASCADE, related_name="ticket_sets")
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ticket set")
        verbose_name_plural = _("ticket sets")
        ordering = ["programme", "-version"]
        constraints = [models.UniqueConstraint(fields=["programme", "version"], name="ticket_set_version_once")]

    def __str__(self) -> str:
        return f"{self.programme} / {self.version}"


class Ticket(models.Model):
    audit_subjects = ("ticket_set__programme__commission",)
    ticket_set = models.ForeignKey(TicketSet, on_delete=models.CASCADE, related_name="tickets")
    number = models.PositiveSmallIntegerField(_("ticket No."))
    questions = models.ManyToManyField(Question, through="TicketQuestion", related_name="tickets")

    class Meta:
        verbose_name = _("exam ticket")
        verbose_name_plural = _("exam tickets")
        ordering = ["ticket_set", "number"]
        constraints = [models.UniqueConstraint(fields=["ticket_set", "number"], name="ticket_number_once")]

    def __str__(self) -> str:
        return str(self.number)


class TicketQuestion(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "question"], name="ticket_question_once"),
            models.UniqueConstraint(fields=["ticket", "position"], name="ticket_position_once"),
        ]


class Attempt(models.Model):
    """A student's live attestation in one slot: a state that moves only along allowed transitions."""

    audit_subjects = ("slot__sitting__commission", "slot__student")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        IDENTIFIED = "identified", _("identified")
        ADMITTED = "admitted", _("admitted")
        TICKET_DRAWN = "ticket_drawn", _("ticket drawn")
        PREPARING = "preparing", _("preparing")
        WRITING = "writing", _("writing")
        ANSWERING = "answering", _("answering")
        FINISHED = "finished", _("finished")
        ABSENT = "absent", _("absent")
        INTERRUPTED = "interrupted", _("interrupted")
        TECHNICAL_FAILURE = "technical_failure", _("technical failure")
        STOPPED = "stopped", _("stopped")
        POSTPONED = "postponed", _("postponed")

    class Kind(models.TextChoices):
        ORAL = "oral", _("oral exam")
        WRITTEN = "written", _("written exam")
        DEFENSE = "defense", _("defense")
        TESTING = "testing", _("computer-based testing")
        TAKE_HOME = "take_home", _("open-book take-home exam")
        CREATIVE = "creative", _("creative exam")

    slot = models.OneToOneField("commissions.Slot", on_delete=models.CASCADE, related_name="attempt")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SCHEDULED)
    resume_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    in_writing = models.BooleanField(_("questions in writing (video failed)"), default=False)
    admitted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("preparation / writing started"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("written answers due"), null=True, blank=True)
    answering_at = models.DateTimeField(_("answer / speech started"), null=True, blank=True)
    speech_ended_at = models.DateTimeField(_("speech ended"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report_video_url = models.URLField(_("video of the report (offline defense)"), blank=True)
    # A take-home exam, once finished: whether the student had uploaded any work (None for the other kinds).
    work_submitted = models.BooleanField(_("work submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_at__isnull=True) | models.Q(started_at__isnull=False),
                name="attempt_deadline_needs_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} — {self.get_state_display()}"


class Transition(models.Model):
    """Who moved an attempt from which state to which, and when."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Attempt.State.choices)
    to_state = models.CharField(max_length=20, choices=Attempt.State.choices)
    # None: the portal itself moved it (a deadline, e.g. the end of a take-home exam's time).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Draw(models.Model):
    """The recorded closed draw of a ticket (R28): one per attempt; without replacement, one per ticket a sitting."""

    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="draw")
    sitting = models.ForeignKey("commissions.Sitting", on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="draws")
    without_replacement = models.BooleanField()
    card = models.PositiveSmallIntegerField(_("face-down card the student picked"))
    drawn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ticket draw")
        verbose_name_plural = _("ticket draws")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "ticket"],
                condition=models.Q(without_replacement=True),
                name="draw_ticket_once_per_sitting_without_replacement",
            ),
        ]


def answer_sheet_path(instance: "AnswerSheet", filename: str) -> str:
    return f"exams/answers/{instance.attempt_id}/{instance.number:02d}.{instance.kind}"


class AnswerSheet(models.Model):
    """A numbered answer sheet the student photographed (R29), or the secretary's screenshot of it (001): stored
    re-encoded, never served inline as HTML."""

    audit_subjects = ("attempt__slot__sitting__commission", "attempt__slot__student")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answer_sheets")
    number = models.PositiveSmallIntegerField(_("sheet No."))
    kind = models.CharField(max_length=4)  # jpg | png | pdf: what is stored, not what was sent
    file = models.FileField(upload_to=answer_sheet_path)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    # Colleges (001): the secretary's screenshot of the sheet the student shows on camera; empty when the student
    # uploaded the photo.
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screenshot taken by"),
    )

    class Meta:
        verbose_name = _("answer sheet")
        verbose_name_plural = _("answer sheets")
        ordering = ["attempt", "number"]
        constraints = [models.UniqueConstraint(fields=["attempt", "number"], name="answer_sheet_number_once")]

    @property
    def content_type(self) -> str:
        return {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[self.kind]


def written_answer_path(instance: "QuestionAsked", filename: str) -> str:
    return f"exams/written-answers/{instance.attempt_id}/{instance.pk}.{instance.answer_file_kind}"


class QuestionAsked(models.Model):
    """A member's question to the student: oral during a defense, or in writing when video fails (R25, R31).
    A question in writing is answered in the text box, by a photo or PDF of the answer, or both."""

    audit_subjects = ("attempt__slot__sitting__commission", "attempt__slot__student")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions_asked")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"))
    in_writing = models.BooleanField(default=False)
    asked_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer_text = models.TextField(_("answer"), blank=True)
    # The answer as a file: stored re-encoded (jpg, png) or as a checked PDF, served only as a download.
    answer_file = models.FileField(_("answer file"), upload_to=written_answer_path, blank=True)
    answer_file_kind = models.CharField(max_length=4, blank=True)  # jpg | png | pdf: what is stored
    answer_file_name = models.CharField(max_length=255, blank=True)
    answer_file_sha256 = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question asked")
        verbose_name_plural = _("questions asked")
        ordering = ["attempt", "asked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True) | ~models.Q(answer_text="") | ~models.Q(answer_file=""),
                name="question_answer_has_text_or_file",
            ),
            models.CheckConstraint(
                condition=models.Q(answer_file="", answer_file_kind="")
                | (~models.Q(answer_file="") & models.Q(answer_file_kind__in=["jpg", "png", "pdf"])),
                name="question_answer_file_has_kind",
            ),
        ]


class TestScore(models.Model):
    """A student's result in the computer-based test (R26, R30): correct answers out of the test's questions, as
    the testing system reported them (imported file) or the secretary entered them; the percentage becomes the
    grade on the institution's scale and the student's result."""

    class Source(models.TextChoices):
        IMPORT = "import", _("imported from the testing system's file")
        ENTRY = "entry", _("entered by the secretary")

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="test_score")
    questions = models.PositiveSmallIntegerField(_("questions"))
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    percent = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.CheckConstraint(condition=models.Q(questions__gte=1), name="test_score_has_questions"),
            models.CheckConstraint(condition=models.Q(correct__lte=models.F("questions")), name="test_score_within_test"),
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="test_score_percent"),
        ]
