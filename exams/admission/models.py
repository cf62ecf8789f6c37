"""Admission to final attestation (R16-R18): the thesis and its versions, reviews, plagiarism checks,
the supervisor's certificate, clearance lines, and the head's admission decision with its order."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from attestation.core.i18n import localized
from attestation.institutions.models import LANGUAGE_CHOICES

MAX_CHECKS_EVER = 2  # RULES R17: at most two; a policy may only lower it


class Source(models.TextChoices):
    PORTAL = "portal", _("submitted in the portal")
    EMAIL = "email", _("received by corporate e-mail, uploaded by the department")


class Thesis(models.Model):
    """A student's thesis (diploma work, project or master's dissertation) with its supervisor and reviewer (R6)."""

    audit_subjects = ("student",)
    student = models.OneToOneField("institutions.Student", on_delete=models.CASCADE, related_name="thesis")
    topic_kk = models.CharField(_("topic (Kazakh)"), max_length=500)
    topic_ru = models.CharField(_("topic (Russian)"), max_length=500)
    topic_en = models.CharField(_("topic (English)"), max_length=500, blank=True)
    language = models.CharField(_("language of the thesis"), max_length=2, choices=LANGUAGE_CHOICES)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervised_theses", verbose_name=_("supervisor")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_theses",
        verbose_name=_("external reviewer (portal user)"),
    )
    reviewer_name = models.CharField(_("external reviewer's full name"), max_length=255, blank=True)
    reviewer_degree = models.CharField(_("reviewer's academic degree"), max_length=255, blank=True)
    reviewer_workplace = models.CharField(_("reviewer's workplace"), max_length=255, blank=True)
    reviewer_position = models.CharField(_("reviewer's position"), max_length=255, blank=True)
    formatting_passed = models.BooleanField(_("formatting check passed"), null=True, blank=True)
    formatting_comments = models.TextField(_("formatting check comments"), blank=True)
    formatting_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    formatting_checked_at = models.DateTimeField(null=True, blank=True)
    documents_late_at = models.DateTimeField(_("documents flagged late"), null=True, blank=True)
    pdf_late_at = models.DateTimeField(_("PDF flagged late"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thesis")
        verbose_name_plural = _("theses")

    @property
    def topic(self) -> str:
        return localized(self, "topic")

    @property
    def reviewer_display(self) -> str:
        return self.reviewer.display_name if self.reviewer is not None else self.reviewer_name

    def __str__(self) -> str:
        return self.topic


def version_path(instance: "ThesisVersion", filename: str) -> str:
    return f"admission/theses/{instance.thesis_id}/v{instance.number}.{instance.kind}"


class ThesisVersion(models.Model):
    """An uploaded file of the thesis; versions are kept, the newest counts."""

    thesis = models.ForeignKey(Thesis, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=4, choices=[("pdf", "PDF"), ("docx", "DOCX")])
    file = models.FileField(upload_to=version_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["thesis", "-number"]
        constraints = [models.UniqueConstraint(fields=["thesis", "number"], name="thesis_version_number_unique")]


class PlagiarismCheck(models.Model):
    """One check in the plagiarism system (R17): the first free, at most two, the last failing means F."""

    thesis = models.ForeignKey(Thesis, on_delete=models.CASCADE, related_name="plagiarism_checks")
    attempt_number = models.PositiveSmallIntegerField(_("attempt"))
    system_name = models.CharField(_("system"), max_length=100, default="Антиплагиат.ВУЗ")
    checked_on = models.DateField(_("date of the check"))
    similarity_percent = models.DecimalField(_("similarity, %"), max_digits=5, decimal_places=2)
    originality_percent = models.DecimalField(_("originality, %"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    paid = models.BooleanField(_("paid check"), default=False)
    report = models.FileField(_("report (PDF)"), upload_to="admission/plagiarism/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["thesis", "attempt_number"]
        constraints = [
            models.UniqueConstraint(fields=["thesis", "attempt_number"], name="plagiarism_attempt_unique"),
            models.CheckConstraint(
                condition=models.Q(attempt_number__gte=1, attempt_number__lte=MAX_CHECKS_EVER),
                name="plagiarism_attempt_within_limit",
            ),
            models.CheckConstraint(condition=~models.Q(attempt_number=1, paid=True), name="plagiarism_first_free"),
            models.CheckConstraint(
                condition=models.Q(
                    similarity_percent__gte=0,
                    similarity_percent__lte=100,
                    originality_percent__gte=0,
                    originality_percent__lte=100,
                ),
                name="plagiarism_percent_range",
            ),
        ]


class Conclusion(models.TextChoices):
    ADMITTED = "admitted", _("admitted to defense")
    NOT_ADMITTED = "not_admitted", _("not admitted to defense")


class Review(models.Model):
    """The supervisor's review or the external review (R16); one of each per thesis, replaced by resubmission."""

    class Kind(models.TextChoices):
        SUPERVISOR = "supervisor", _("supervisor's review")
        EXTERNAL = "external", _("external review")

    thesis = models.ForeignKey(Thesis, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    conclusion = models.CharField(_("conclusion"), max_length=12, choices=Conclusion.choices)
    letter = models.CharField(_("letter grade"), max_length=2, blank=True)
    text = models.TextField(_("text of the review"), blank=True)
    file = models.FileField(_("file of the review"), upload_to="admission/reviews/%Y/", blank=True)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.PORTAL)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thesis", "kind"], name="review_one_per_kind"),
            models.CheckConstraint(condition=~models.Q(kind="external", letter=""), name="review_external_has_grade"),
        ]


class PlagiarismCertificate(models.Model):
    """The supervisor's certificate of the plagiarism check (003 2.5), a document in the student's file."""

    thesis = models.OneToOneField(Thesis, on_delete=models.CASCADE, related_name="plagiarism_certificate")
    file = models.FileField(_("certificate (PDF)"), upload_to="admission/certificates/%Y/")
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.PORTAL)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()


class ClearanceLine(models.Model):
    """One line of the exit (clearance) sheet (R18), marked by whoever the department assigns."""

    audit_subjects = ("student",)

    class Line(models.TextChoices):
        ACADEMIC = "academic", _("academic debts")
        TUITION = "tuition", _("tuition")
        DORMITORY = "dormitory", _("dormitory")
        LIBRARY = "library", _("library")

    student = models.ForeignKey("institutions.Student", on_delete=models.CASCADE, related_name="clearance_lines")
    line = models.CharField(_("line"), max_length=10, choices=Line.choices)
    cleared = models.BooleanField(_("cleared"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        ordering = ["student", "line"]
        constraints = [models.UniqueConstraint(fields=["student", "line"], name="clearance_line_once")]


class ClearanceOfficer(models.Model):
    """A person the department assigns to mark one clearance line (accounting, dormitory, library...)."""

    department = models.ForeignKey("institutions.Department", on_delete=models.CASCADE, related_name="clearance_officers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearance_posts")
    line = models.CharField(_("line"), max_length=10, choices=ClearanceLine.Line.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "user", "line"], name="clearance_officer_unique")]


class AdmissionList(models.Model):
    """The head's decision admitting a list of students of a programme (R4, 000 §70), with its order PDF."""

    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="admission_lists")
    admitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    admitted_at = models.DateTimeField()
    order = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-admitted_at"]


class AdmissionDecision(models.Model):
    """A student's admission outcome: admitted by the head's list, or not admitted (with F after failed checks)."""

    audit_subjects = ("student",)

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        NOT_ADMITTED = "not_admitted", _("not admitted")

    student = models.OneToOneField("institutions.Student", on_delete=models.CASCADE, related_name="admission_decision")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    final_grade = models.CharField(_("grade for final attestation"), max_length=2, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    admission_list = models.ForeignKey(
        AdmissionList, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="not_admitted") | models.Q(final_grade="", admission_list__isnull=False),
                name="admission_admitted_by_list_without_grade",
            ),
        ]


class ProcedureNotice(models.Model):
    """The procedure document sent to a programme's students before final attestation (R13), with its timing."""

    programme = models.ForeignKey("institutions.Programme", on_delete=models.PROTECT, related_name="procedure_notices")
    file = models.FileField(_("procedure document (PDF)"), upload_to="admission/procedure/%Y/")
    attestation_starts = models.DateField(_("final attestation starts"))
    latest_send_date = models.DateField(_("to be sent by"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]

    @property
    def late(self) -> bool:
        return self.sent_at.date() > self.latest_send_date


class Acquaintance(models.Model):
    """A student's confirmation of acquaintance with the procedure (R13)."""

    audit_subjects = ("student",)
    notice = models.ForeignKey(ProcedureNotice, on_delete=models.CASCADE, related_name="acquaintances")
    student = models.ForeignKey("institutions.Student", on_delete=models.CASCADE, related_name="acquaintances")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "student"], name="acquaintance_once")]
