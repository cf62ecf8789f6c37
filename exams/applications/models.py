"""Students' applications (R41, R42, R44, R45), the "I" grades' due dates (R43) and imported transcripts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def document_path(instance: "Application", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"applications/{instance.student_id}/{uuid.uuid4().hex}.{ext}"


class Application(models.Model):
    """One student's application with its decision; the decision's effect is written by the services."""

    audit_subjects = ("student", "slot__sitting__commission")

    class Kind(models.TextChoices):
        MISSED = "missed", _("missed for a valid reason")
        POSTPONEMENT = "postponement", _("postponement")
        SUMMATIVE = "summative", _("summative replacement of an exam")
        RESTUDY = "restudy", _("re-study of a discipline")

    class Ground(models.TextChoices):
        REMOTE_IMPOSSIBLE = "remote_impossible", _("the exam cannot be held remotely")
        NO_EQUIPMENT = "no_equipment", _("no equipment or Internet")
        POLICY_CHANGED = "policy_changed", _("the academic policy changed")
        HOSPITAL = "hospital", _("in hospital or quarantine")

    class Attestation(models.TextChoices):
        INTERMEDIATE = "intermediate", _("intermediate attestation")
        FINAL = "final", _("final attestation")

    class State(models.TextChoices):
        FILED = "filed", _("filed")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    student = models.ForeignKey("institutions.Student", on_delete=models.PROTECT, related_name="applications")
    slot = models.ForeignKey(
        "commissions.Slot",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("attestation"),
    )
    discipline = models.ForeignKey(
        "institutions.Discipline",
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
        verbose_name=_("discipline"),
    )
    period = models.CharField(_("period"), max_length=10, blank=True)
    attestation = models.CharField(_("attestation"), max_length=12, choices=Attestation.choices, blank=True)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices, blank=True)
    requested_date = models.DateField(_("requested new date"), null=True, blank=True)
    reasons = models.TextField(_("reasons"))
    document = models.FileField(_("supporting document"), upload_to=document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FILED)
    filed_at = models.DateTimeField(_("filed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # The decision's effect, kept on the application so the student sees it.
    new_date = models.DateField(_("new date"), null=True, blank=True)
    new_slot = models.ForeignKey(
        "commissions.Slot",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("new place in a sitting"),
    )
    grade_points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade_letter = models.CharField(_("letter"), max_length=3, blank=True)
    target_period = models.CharField(_("moved to the period"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["state", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="postponement") | ~Q(ground=""), name="application_postponement_has_ground"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["missed", "postponement"]) | Q(slot__isnull=False),
                name="application_missed_postponement_have_slot",
            ),
            models.CheckConstraint(
                condition=~Q(kind="restudy") | Q(discipline__isnull=False), name="application_restudy_has_discipline"
            ),
            models.CheckConstraint(
                condition=Q(state="filed", decided_at__isnull=True, decided_by__isnull=True)
                | Q(~Q(state="filed"), decided_at__isnull=False, decided_by__isnull=False),
                name="application_decision_complete",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(decision_reason=""), name="application_rejection_has_reason"
            ),
            models.UniqueConstraint(
                fields=["student", "kind", "slot"],
                condition=Q(state="filed", slot__isnull=False),
                name="application_one_open_per_slot",
            ),
            models.UniqueConstraint(
                fields=["student", "kind", "discipline", "period"],
                condition=Q(state="filed", discipline__isnull=False),
                name="application_one_open_per_discipline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.student}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.FILED


class IncompleteDue(models.Model):
    """An "I" result and the date by which it must become a letter grade (never after the cutoff, R43)."""

    audit_subjects = ("result__slot__sitting__commission", "result__slot__student")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        GRADED = "graded", _("graded in time")
        CONVERTED = "converted", _("converted to F at the cutoff")
        FLAGGED = "flagged", _("flagged for the department at the cutoff")

    result = models.OneToOneField("commissions.Result", on_delete=models.CASCADE, related_name="incomplete_due")
    due_date = models.DateField(_("due"))
    cutoff_date = models.DateField(_("cutoff"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _('"I" grade due date')
        verbose_name_plural = _('"I" grade due dates')
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__lte=models.F("cutoff_date")), name="incomplete_due_not_after_cutoff"
            ),
        ]


class TranscriptRow(models.Model):
    """A student's score in a discipline for a period: current, midterm or final control (imported or summative)."""

    audit_subjects = ("student",)

    class Kind(models.TextChoices):
        CURRENT = "current", _("current control")
        MIDTERM = "midterm", _("midterm control")
        FINAL = "final", _("final control")

    class Source(models.TextChoices):
        IMPORT = "import", _("imported")
        SUMMATIVE = "summative", _("summative average")

    # no index of its own: the unique (student, discipline, period, kind) index leads with it (one index less to write
    # per imported score)
    student = models.ForeignKey(
        "institutions.Student", on_delete=models.CASCADE, related_name="transcript_rows", db_index=False
    )
    # no index either: every read of scores starts from the student, and an index by discipline cost a third of a
    # 100,000-row import's write (bench/RESULTS.md); a discipline's deletion (PROTECT, rare) scans the table instead
    discipline = models.ForeignKey("institutions.Discipline", on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.CharField(_("period"), max_length=10)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.IMPORT)

    class Meta:
        verbose_name = _("transcript row")
        verbose_name_plural = _("transcript rows")
        constraints = [
            models.UniqueConstraint(fields=["student", "discipline", "period", "kind"], name="transcript_row_once"),
            models.CheckConstraint(condition=Q(points__gte=0, points__lte=100), name="transcript_points_0_100"),
        ]


def import_path(instance: "TranscriptImport", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"transcripts/{instance.institution_id}/{uuid.uuid4().hex}.{ext}"


class TranscriptImport(models.Model):
    """A large transcript file imported in the worker; the page polls its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("rejected")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=import_path)
    kind = models.CharField(max_length=4)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)  # added + updated + unchanged
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


def arts_path(instance: "ArtsResult", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"arts/{instance.student_id}/{uuid.uuid4().hex}.{ext}"


class ArtsResult(models.Model):
    """Colleges, arts and culture (R46): the half-year average plus a creative characteristic; for ballet, dance
    ensemble and circus also a stage-performance recording and employer reviews."""

    audit_subjects = ("student",)
    student = models.ForeignKey("institutions.Student", on_delete=models.PROTECT, related_name="arts_results")
    period = models.CharField(_("period"), max_length=10)
    average = models.DecimalField(_("half-year average"), max_digits=5, decimal_places=2)
    characteristic = models.TextField(_("creative characteristic"))
    recording = models.FileField(_("stage-performance recording"), upload_to=arts_path, blank=True)
    employer_reviews = models.FileField(_("employer reviews"), upload_to=arts_path, blank=True)
    letter = models.CharField(_("letter"), max_length=3)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("arts and culture result")
        verbose_name_plural = _("arts and culture results")
        constraints = [
            models.UniqueConstraint(fields=["student", "period"], name="arts_result_once_per_period"),
            models.CheckConstraint(condition=~Q(characteristic=""), name="arts_result_has_characteristic"),
        ]


class SummativeDecision(models.Model):
    """The institution's own decision (R44) replacing the exam by the average for a whole list of disciplines."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="summative_decisions")
    period = models.CharField(_("period"), max_length=10)
    number = models.CharField(_("decision number"), max_length=50)
    date = models.DateField(_("decision date"))
    disciplines = models.ManyToManyField("institutions.Discipline", related_name="+", verbose_name=_("disciplines"))
    groups = models.ManyToManyField("institutions.Group", related_name="+", blank=True, verbose_name=_("groups"))
    replaced = models.PositiveIntegerField(_("grades replaced"), default=0)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("summative replacement decision")
        verbose_name_plural = _("summative replacement decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number", "date"], name="summative_decision_number_once"),
            models.CheckConstraint(condition=~Q(number=""), name="summative_decision_has_number"),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} {self.date:%d.%m.%Y}"
