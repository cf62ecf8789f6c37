from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from attestation.core.i18n import LocalizedName


class AppealCommission(LocalizedName, models.Model):
    """Appointed by order of the head of the institution (R8): odd number, no attestation-commission member,
    no administrative staff."""

    audit_subjects = ("commissions",)
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="appeal_commissions")
    academic_year = models.PositiveSmallIntegerField(_("academic year (first calendar year)"))
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    order_number = models.CharField(_("order number"), max_length=50)
    order_date = models.DateField(_("order date"))
    commissions = models.ManyToManyField(
        "commissions.Commission",
        related_name="appeal_commissions",
        verbose_name=_("attestation commissions whose results it hears"),
    )

    class Meta:
        verbose_name = _("appeal commission")
        verbose_name_plural = _("appeal commissions")
        ordering = ["-academic_year", "name_kk"]


class AppealMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")

    appeal_commission = models.ForeignKey(AppealCommission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appeal_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("appeal commission member")
        verbose_name_plural = _("appeal commission members")
        constraints = [
            models.UniqueConstraint(fields=["appeal_commission", "user"], name="appeal_member_once"),
            models.UniqueConstraint(fields=["appeal_commission"], condition=models.Q(role="chair"), name="appeal_one_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Appeal(models.Model):
    audit_subjects = ("result__slot__sitting__commission", "result__slot__student")

    class State(models.TextChoices):
        FILED = "filed", _("filed")
        HEARING = "hearing", _("hearing scheduled")
        DECIDED = "decided", _("decided")
        ANSWERED = "answered", _("answer sent")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("grade upheld")
        CHANGED = "changed", _("grade changed")

    result = models.OneToOneField("commissions.Result", on_delete=models.PROTECT, related_name="appeal")
    appeal_commission = models.ForeignKey(AppealCommission, on_delete=models.PROTECT, related_name="appeals")
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed"))
    window_closed_at = models.DateTimeField(_("the window closed at"))
    hearing_due_at = models.DateTimeField(_("hearing due by"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.FILED)
    hearing_at = models.DateTimeField(_("hearing"), null=True, blank=True)
    hearing_url = models.URLField(_("meeting link"), blank=True)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices, blank=True)
    old_letter = models.CharField(_("grade before"), max_length=3, blank=True)
    new_points = models.DecimalField(_("new points"), max_digits=5, decimal_places=2, null=True, blank=True)
    new_letter = models.CharField(_("new grade"), max_length=3, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_at__lt=models.F("window_closed_at")), name="appeal_filed_inside_window"
            ),
            models.CheckConstraint(
                condition=models.Q(hearing_at__isnull=True) | models.Q(hearing_at__lt=models.F("hearing_due_at")),
                name="appeal_hearing_in_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="decided") & ~models.Q(state="answered") | ~models.Q(outcome=""),
                name="appeal_decided_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result.slot.student} — {self.get_state_display()}"


class AppealAttachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class AppealVote(models.Model):
    """A member's vote on the appeal: the decision is the commission's majority (R49)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(AppealMember, on_delete=models.PROTECT, related_name="votes")
    outcome = models.CharField(_("vote"), max_length=10, choices=Appeal.Outcome.choices)
    points = models.DecimalField(_("points proposed"), max_digits=5, decimal_places=2, null=True, blank=True)
    voted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal vote")
        verbose_name_plural = _("appeal votes")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "member"], name="appeal_vote_once"),
            models.CheckConstraint(
                condition=models.Q(outcome="upheld") | models.Q(points__isnull=False), name="appeal_change_vote_has_points"
            ),
        ]
