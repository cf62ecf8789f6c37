"""The clocks the console and the student see, computed on the server from the attempt and the policy."""

import datetime as dt
from dataclasses import dataclass

from attestation.institutions.models import Policy
from exams.accommodations import accommodation_of
from exams.models import Attempt


@dataclass
class Clock:
    label: str
    ends_at: dt.datetime | None
    seconds_left: int | None
    warning: bool = False
    over: bool = False


def _left(ends_at: dt.datetime, now: dt.datetime) -> int:
    return int((ends_at - now).total_seconds())


def written_clock(attempt: Attempt, now: dt.datetime) -> Clock | None:
    if attempt.deadline_at is None:
        return None
    left = _left(attempt.deadline_at, now)
    return Clock("written", attempt.deadline_at, max(left, 0), warning=0 < left <= 600, over=left <= 0)


# "Look the accommodation up": a caller that already holds it (the console prefetches it) passes it, even None.
LOOK_UP = object()


def _accommodation(attempt: Attempt, given=LOOK_UP):
    """The student's accommodation (000 §7): the one given, or read once per call (None for most students)."""
    if given is not LOOK_UP:
        return given
    return accommodation_of(attempt.slot.student_id)


def _extra(accommodation, minutes: int) -> dt.timedelta:
    return dt.timedelta(minutes=accommodation.extra_for(minutes) if accommodation else 0)


def preparation_clock(attempt: Attempt, policy: Policy, now: dt.datetime, accommodation=LOOK_UP) -> Clock | None:
    """Oral exam: the preparation after the draw (policy minutes, plus an accommodation's extra time), shown while
    the student prepares."""
    if (
        attempt.kind != Attempt.Kind.ORAL
        or attempt.state != Attempt.State.PREPARING
        or attempt.started_at is None
        or attempt.answering_at is not None
    ):
        return None
    minutes = policy.oral_questioning_delay_minutes
    ends_at = attempt.started_at + dt.timedelta(minutes=minutes) + _extra(_accommodation(attempt, accommodation), minutes)
    left = _left(ends_at, now)
    return Clock("preparation", ends_at, max(left, 0), warning=0 < left <= 300, over=left <= 0)


def defense_clocks(attempt: Attempt, policy: Policy, now: dt.datetime, accommodation=LOOK_UP) -> list[Clock]:
    """Speech (min-max) and whole defense (policy total) from the moment the student started answering (R31);
    an accommodation lengthens the speech's maximum and the whole defense by its extra time. A defense only: an
    oral exam's answer has no speech limits."""
    if attempt.kind != Attempt.Kind.DEFENSE or attempt.answering_at is None:
        return []
    accommodation = _accommodation(attempt, accommodation)
    total_end = (
        attempt.answering_at
        + dt.timedelta(minutes=policy.defense_total_minutes)
        + _extra(accommodation, policy.defense_total_minutes)
    )
    speech_max = (
        attempt.answering_at
        + dt.timedelta(minutes=policy.speech_max_minutes)
        + _extra(accommodation, policy.speech_max_minutes)
    )
    speech_min = attempt.answering_at + dt.timedelta(minutes=policy.speech_min_minutes)
    clocks = []
    if attempt.speech_ended_at is None:
        left = _left(speech_max, now)
        clocks.append(Clock("speech", speech_max, max(left, 0), warning=now >= speech_min, over=left <= 0))
    total_left = _left(total_end, now)
    clocks.append(Clock("total", total_end, max(total_left, 0), warning=0 < total_left <= 120, over=total_left <= 0))
    return clocks


def speech_too_short(attempt: Attempt, policy: Policy) -> bool:
    if attempt.kind != Attempt.Kind.DEFENSE or attempt.answering_at is None or attempt.speech_ended_at is None:
        return False
    return attempt.speech_ended_at - attempt.answering_at < dt.timedelta(minutes=policy.speech_min_minutes)
