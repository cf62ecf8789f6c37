from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Commission(models.Model):
    """An attestation commission for one or more programmes and one attestation period (R10)."""

    class Kind(models.TextChoices):
        FINAL = "final", _("final attestation")
        INTERMEDIATE = "intermediate", _("intermediate attestation")

    class Form(models.TextChoices):
        COMPLEX_EXAM = "complex_exam", _("complex exam")
        STATE_EXAM = "state_exam", _("state exam")
        DEFENSE = "defense", _("thesis defense")
        EXAM = "exam", pgettext_lazy("attestation form", "exam")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="commissions")
    academic_year = models.PositiveSmallIntegerField(_("academic year (first calendar year)"))
    kind = models.CharField(_("attestation"), max_length=12, choices=Kind.choices, default=Kind.FINAL)
    form = models.CharField(_("attestation form"), max_length=15, choices=Form.choices)
    programmes = models.ManyToManyField("institutions.Programme", related_name="commissions",
                                        verbose_name=_("educational programmes"))
    name_kk = models.CharField(_("name (Kazakh)"), max_length=255)
    name_ru = models.CharField(_("name (Russian)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    order_number = models.CharField(_("approval order number"), max_length=50)
    order_date = models.DateField(_("approval order date"))
    period_start = models.DateField(_("attestation period from"))
    period_end = models.DateField(_("attestation period to"))

    class Meta:
        verbose_name = _("attestation commission")
        verbose_name_plural = _("attestation commissions")
        ordering = ["-academic_year", "name_kk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="commission_period_ordered"),
        ]

    @property
    def name(self) -> str:
        from attestation.core.i18n import localized

        return localized(self, "name")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("technical secretary")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    position = models.CharField(_("position and workplace"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="membership_once"),
            models.UniqueConstraint(fields=["commission"], condition=models.Q(role="chair"), name="one_chair"),
        ]

    @property
    def votes(self) -> bool:
        """The chair and members vote; the technical secretary does not (R2)."""
        return self.role != self.Role.SECRETARY

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Sitting(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("online")
        OFFLINE_VIDEO = "offline_video", _("offline, by a video of the report")
        SMALL_GROUP = "small_group", _("small group")
        ONE_STUDENT = "one_student", _("one student at a time")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="sittings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))
    mode = models.CharField(_("mode"), max_length=15, choices=Mode.choices, default=Mode.ONLINE)
    meeting_url = models.URLField(_("meeting link (Zoom, Webex, Teams)"), blank=True)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="sitting_ends_after_start"),
        ]

    @property
    def minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Slot(models.Model):
    """A student's place in a sitting: what the student sees in My schedule."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CONFIRMED = "confirmed", _("connection checked")
        DONE = "done", _("finished")
        ABSENT = "absent", _("absent")
        POSTPONED = "postponed", _("postponed")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="slots")
    student = models.ForeignKey("institutions.Student", on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)

    class Meta:
        verbose_name = _("schedule slot")
        verbose_name_plural = _("schedule")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "student"], name="slot_student_once_per_sitting"),
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="slot_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.starts_at:%d.%m.%Y %H:%M}"
