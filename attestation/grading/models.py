from django.db import models
from django.utils.translation import gettext_lazy as _


class Traditional(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    GOOD = "good", _("good")
    SATISFACTORY = "satisfactory", _("satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("unsatisfactory")
    INCOMPLETE = "incomplete", _("incomplete (discipline not completed)")


class GradeScale(models.Model):
    """A versioned grade scale of an institution: the point-rating letter table by default."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.CASCADE, related_name="grade_scales")
    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    uses_five_point = models.BooleanField(_("also gives the 5-point mark (colleges)"), default=False)

    class Meta:
        verbose_name = _("grade scale")
        verbose_name_plural = _("grade scales")
        ordering = ["institution", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "valid_from"], name="grade_scale_one_per_start"),
        ]

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    scale = models.ForeignKey(GradeScale, on_delete=models.CASCADE, related_name="bands")
    letter = models.CharField(_("letter"), max_length=3)
    gpa = models.DecimalField(_("GPA points"), max_digits=3, decimal_places=2, null=True, blank=True)
    min_points = models.DecimalField(_("from, points"), max_digits=5, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(_("to, points"), max_digits=5, decimal_places=2, null=True, blank=True)
    traditional = models.CharField(_("traditional mark"), max_length=15, choices=Traditional.choices)
    five_point = models.PositiveSmallIntegerField(_("5-point mark"), null=True, blank=True)
    is_temporary = models.BooleanField(_("temporary (not in GPA)"), default=False)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["scale", "-min_points"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "letter"], name="grade_band_letter_unique"),
            models.CheckConstraint(
                condition=models.Q(is_temporary=True)
                | models.Q(min_points__isnull=False, max_points__isnull=False, min_points__lte=models.F("max_points")),
                name="grade_band_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.letter
