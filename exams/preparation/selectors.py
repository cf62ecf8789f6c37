"""Reads for the department's year page and the students' and members' view of lectures and webinars."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from commissions.models import Commission
from exams.preparation.models import PreparationStep, ReviewLectureSeries, Webinar


def _approved_on(commission) -> dt.datetime | None:
    approved = [p.approved_at for p in commission.exam_programmes.all() if p.approved_at]
    return min(approved) if approved else None


def step_is_done(step: PreparationStep) -> bool:
    if step.kind == PreparationStep.Kind.PROGRAMME_APPROVED:
        return _approved_on(step.series.commission) is not None
    return step.done_at is not None


@dataclass
class StepView:
    step: PreparationStep
    done_at: dt.datetime | None
    state: str  # done | due | late

    @property
    def late_done(self) -> bool:
        return self.done_at is not None and self.done_at.date() > self.step.due_on


def step_views(series: ReviewLectureSeries, today: dt.date | None = None) -> list[StepView]:
    today = today or timezone.localdate()
    views = []
    for step in series.steps.all():
        done_at = _approved_on(series.commission) if step.kind == PreparationStep.Kind.PROGRAMME_APPROVED else step.done_at
        state = "done" if done_at else ("late" if today > step.due_on else "due")
        views.append(StepView(step, done_at, state))
    return views


def department_preparation(*, commissions) -> dict[int, dict]:
    """For each commission: its review-lecture series with steps and lectures, and its webinars."""
    ids = [c.pk for c in commissions]
    series = {
        s.commission_id: s
        for s in ReviewLectureSeries.objects.filter(commission_id__in=ids)
        .select_related("commission")
        .prefetch_related("steps", "lectures", "commission__exam_programmes")
    }
    webinars: dict[int, list] = {}
    for webinar in Webinar.objects.filter(commission_id__in=ids).prefetch_related("attendance"):
        webinars.setdefault(webinar.commission_id, []).append(webinar)
    return {
        pk: {
            "series": series.get(pk),
            "steps": step_views(series[pk]) if pk in series else [],
            "webinars": webinars.get(pk, []),
        }
        for pk in ids
    }


def for_person(*, user) -> dict:
    """The lectures and webinars a student or a commission member should see."""
    as_student = Commission.objects.filter(programmes__groups__students__user=user)
    as_member = Commission.objects.filter(memberships__user=user)
    # One filter, not a UNION: SQLite refuses the model's default ORDER BY inside a compound statement (a 500 on
    # every home page with the embedded database).
    webinars = list(
        Webinar.objects.filter(
            Q(commission__in=as_student, audience=Webinar.Audience.STUDENTS)
            | Q(commission__in=as_member, audience=Webinar.Audience.MEMBERS)
        )
        .distinct()
        .order_by("starts_at")
    )
    series = list(
        ReviewLectureSeries.objects.filter(commission__in=as_student)
        .select_related("commission")
        .prefetch_related(Prefetch("lectures"))
    )
    return {"webinars": webinars, "series": series}
