"""What the planner keeps: members' declared days off, and each commission's timetable draft until it is
published (the published timetable is the commission's Sitting and Slot rows)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberUnavailability(models.Model):
    """A day a staff member declared they cannot sit; the timetable keeps their commissions off it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unavailable_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("declared"))

    class Meta:
        app_label = "commissions"
        verbose_name = _("day a member cannot sit")
        verbose_name_plural = _("days members cannot sit")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="unavailability_once_per_day")]


class PlanDraft(models.Model):
    """A commission's proposed timetable: sittings [date, start, end] and placements
    [student, date, start, minutes, locked] (minutes after midnight), edited until published."""

    audit_subjects = ("commission",)
    commission = models.OneToOneField("commissions.Commission", on_delete=models.CASCADE, related_name="plan")
    sittings = models.JSONField(default=list, blank=True)
    placements = models.JSONField(default=list, blank=True)
    objective = models.JSONField(default=dict, blank=True)
    troubles = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("changed"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        app_label = "commissions"
        verbose_name = _("timetable draft")
        verbose_name_plural = _("timetable drafts")
