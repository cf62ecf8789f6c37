"""The department's year end (002 step 5, R37, R39) and students' accommodations (000 §7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def transfer_path(instance: "Transfer", filename: str) -> str:
    return f"yearend/transfers/{instance.commission_id}/{filename}"


class Transfer(models.Model):
    """One sending of the commission's documents out of the department: what, to whom, when, by whom."""

    audit_subjects = ("commission",)

    class Recipient(models.TextChoices):
        REGISTRAR = "registrar", _("registrar office")
        ARCHIVE = "archive", _("university archive")

    class State(models.TextChoices):
        QUEUED = "queued", _("being packed")
        RUNNING = "running", _("being packed")
        DONE = "done", _("sent")
        FAILED = "failed", _("failed")

    commission = models.ForeignKey("commissions.Commission", on_delete=models.PROTECT, related_name="transfers")
    recipient = models.CharField(_("recipient"), max_length=10, choices=Recipient.choices)
    addressee = models.CharField(_("sent to (name or e-mail)"), max_length=255)
    due_on = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("why it failed"), blank=True)
    file = models.FileField(_("archive (ZIP)"), upload_to=transfer_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer of documents")
        verbose_name_plural = _("transfers of documents")
        ordering = ["commission", "recipient", "-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="done") | (Q(sent_at__isnull=False) & ~Q(sha256="")), name="transfer_done_is_sent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.requested_at:%d.%m.%Y}"


class TransferItem(models.Model):
    """One file of a transfer, with its SHA-256: a signed paper, an ID copy or a summary vedomost."""

    class Kind(models.TextChoices):
        VEDOMOST = "vedomost", _("signed grade sheet (vedomost)")
        PROTOCOL = "protocol", _("protocol of the exam or defense")
        DEGREE_PROTOCOL = "degree_protocol", _("protocol on awarding the qualification")
        ID_COPY = "id_copy", _("ID copy")
        SUMMARY = "summary", _("summary vedomost of the whole study")

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    paper = models.ForeignKey("commissions.Paper", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    id_copy = models.ForeignKey("proctoring.IdCopy", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    student = models.ForeignKey("institutions.Student", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["transfer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "name"], name="transfer_item_name_once"),
            models.CheckConstraint(
                condition=Q(paper__isnull=False) | Q(document__isnull=False) | Q(id_copy__isnull=False),
                name="transfer_item_has_source",
            ),
        ]


def request_path(instance: "DiplomaRequest", filename: str) -> str:
    return f"yearend/diploma-requests/{instance.commission_id}/{filename}"


class DiplomaRequest(models.Model):
    """The request for diplomas and transcripts after the degree order; the portfolio is due days after it (R39)."""

    audit_subjects = ("commission",)
    commission = models.OneToOneField("commissions.Commission", on_delete=models.PROTECT, related_name="diploma_request")
    order_number = models.CharField(_("degree order number"), max_length=50)
    order_date = models.DateField(_("degree order date"))
    language = models.CharField(_("language"), max_length=2)
    docx = models.FileField(_("request (DOCX)"), upload_to=request_path)
    bundle = models.FileField(_("request with the ID copies (ZIP)"), upload_to=request_path)
    sha256 = models.CharField(max_length=64)
    graduates = models.PositiveIntegerField(_("graduates"))
    portfolio_due_on = models.DateField(_("electronic portfolio due"))
    portfolio_late_at = models.DateTimeField(_("portfolio flagged late"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("generated"))

    class Meta:
        verbose_name = _("diploma request")
        verbose_name_plural = _("diploma requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(portfolio_due_on__gte=models.F("order_date")), name="diploma_request_portfolio_after_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_number} {self.order_date:%d.%m.%Y}"


class Accommodation(models.Model):
    """A student's accommodation for a disability (000 §7), recorded by the department, honoured by the timers."""

    audit_subjects = ("student",)
    student = models.OneToOneField("institutions.Student", on_delete=models.CASCADE, related_name="accommodation")
    extra_minutes = models.PositiveSmallIntegerField(_("extra time, minutes"), default=0)
    extra_percent = models.PositiveSmallIntegerField(_("extra time, per cent of the timed part"), default=0)
    written_instead_of_oral = models.BooleanField(_("a written form instead of an oral one"), default=False)
    device_loan = models.CharField(_("device on loan"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.CheckConstraint(condition=Q(extra_minutes__lte=240), name="accommodation_extra_minutes_max"),
            models.CheckConstraint(condition=Q(extra_percent__lte=100), name="accommodation_extra_percent_max"),
        ]

    def extra_for(self, minutes: int) -> int:
        """The extra minutes for a timed part of `minutes`: the fixed minutes plus the percentage, rounded up."""
        return self.extra_minutes + -(-minutes * self.extra_percent // 100)

    def __str__(self) -> str:
        return str(self.student)
