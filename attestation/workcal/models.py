from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """A government transfer (or an institution's own day) on top of the national holiday calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKING_DAY = "working_day", _("working day")

    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        help_text=_("Empty for a national decree that applies to everyone."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("reason (decree)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar transfer")
        verbose_name_plural = _("calendar transfers")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(institution__isnull=True), name="calendar_national_once"
            ),
            models.UniqueConstraint(
                fields=["institution", "date"],
                condition=models.Q(institution__isnull=False),
                name="calendar_institution_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"
