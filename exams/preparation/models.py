from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewLectureSeries(models.Model):
    """The review lectures before a commission's exam; the R14 steps count back from their start."""

    audit_subjects = ("commission",)
    commission = models.OneToOneField("commissions.Commission", on_delete=models.CASCADE, related_name="review_lectures")
    starts_on = models.DateField(_("review lectures start"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("review lecture series")
        verbose_name_plural = _("review lecture series")

    def __str__(self) -> str:
        return f"{self.commission} — {self.starts_on:%d.%m.%Y}"


class ReviewLecture(models.Model):
    series = models.ForeignKey(ReviewLectureSeries, on_delete=models.CASCADE, related_name="lectures")
    topic = models.CharField(_("topic"), max_length=255)
    lecturer = models.CharField(_("lecturer"), max_length=255)
    scheduled_at = models.DateTimeField(_("date and time"))
    recording_url = models.URLField(_("recording (e.g. YouTube)"), blank=True)

    class Meta:
        verbose_name = _("review lecture")
        verbose_name_plural = _("review lectures")
        ordering = ["scheduled_at"]

    def __str__(self) -> str:
        return self.topic


class PreparationStep(models.Model):
    """One of the department's steps before the review lectures (002 steps 1, 2, 4) with its due day."""

    audit_subjects = ("series__commission",)

    class Kind(models.TextChoices):
        PROGRAMME_APPROVED = "programme_approved", _("exam programme and question list approved")
        HANDED_TO_SECRETARY = "handed_to_secretary", _("programme and question list handed to the secretary")
        RECORDINGS_PUBLISHED = "recordings_published", _("review lecture recordings published")

    series = models.ForeignKey(ReviewLectureSeries, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=25, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("preparation step")
        verbose_name_plural = _("preparation steps")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "kind"], name="preparation_step_once"),
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True) | models.Q(done_by__isnull=False),
                name="preparation_step_done_has_who",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Webinar(models.Model):
    """An online meeting the department schedules before the attestation: the instruction webinar on the procedure
    (for students or, separately, for the commission's members), and, in colleges (001), the online consultations
    and the pre-defense of the diploma project (work), which the students see in their cabinet."""

    audit_subjects = ("commission",)

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        MEMBERS = "members", _("commission members")

    class Kind(models.TextChoices):
        INSTRUCTION = "instruction", _("instruction webinar")
        CONSULTATION = "consultation", _("online consultation")
        PRE_DEFENSE = "pre_defense", _("pre-defense of the diploma project (work)")

    commission = models.ForeignKey("commissions.Commission", on_delete=models.CASCADE, related_name="webinars")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INSTRUCTION)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"), default=60)
    url = models.URLField(_("meeting link"))
    recording_url = models.URLField(_("recording"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("instruction webinar")
        verbose_name_plural = _("instruction webinars")
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="webinar_duration_positive")]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.starts_at:%d.%m.%Y %H:%M}"


class WebinarAttendance(models.Model):
    webinar = models.ForeignKey(Webinar, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_attendance")
    attended = models.BooleanField(_("attended"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["webinar", "user"], name="webinar_attendance_once")]
