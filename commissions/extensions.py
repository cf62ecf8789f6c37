"""What the apps above commissions add to its rules, so that commissions never imports them (docs/architecture.md).
They register here when the apps are loaded (`AppConfig.ready()`).

- `scheduling_rule`: a function (student=, commission=) -> the reason the student may not be placed in the
  commission's sitting, or None. `slot_create` refuses while any rule gives a reason (exams.admission: only students
  admitted to the defense are scheduled, R16).
- `grading_rule`: a function (slot=) -> the reason the student of that slot may not be graded or voted on, or None.
  `grade_submit` and `vote_open` refuse while any rule gives a reason (proctoring: an attestation stopped at a
  refused room check is not graded, R20).
- `transcript_reader`: a function (student_ids) -> {student_id: [(final-control points, credits), ...]} for the
  honours verdict on the protocols (exams.applications keeps the imported transcripts).
"""

from collections.abc import Callable, Iterable
from decimal import Decimal

SchedulingRule = Callable[..., str | None]
GradingRule = Callable[..., str | None]
TranscriptReader = Callable[[list[int]], dict[int, list[tuple[Decimal, int]]]]

_scheduling_rules: list[SchedulingRule] = []
_grading_rules: list[GradingRule] = []
_transcript_readers: list[TranscriptReader] = []


def scheduling_rule(rule: SchedulingRule) -> SchedulingRule:
    _scheduling_rules.append(rule)
    return rule


def _first_reason(rules: list, **context) -> str | None:
    """The first reason one of `rules` gives for `context`, or None."""
    for rule in rules:
        reason = rule(**context)
        if reason:
            return reason
    return None


def scheduling_refusal(*, student, commission) -> str | None:
    """The first reason a registered rule gives for not scheduling the student, or None."""
    return _first_reason(_scheduling_rules, student=student, commission=commission)


def grading_rule(rule: GradingRule) -> GradingRule:
    _grading_rules.append(rule)
    return rule


def grading_refusal_by_rules(*, slot) -> str | None:
    """The first reason a registered rule gives for not grading the slot's student, or None."""
    return _first_reason(_grading_rules, slot=slot)


def transcript_reader(reader: TranscriptReader) -> TranscriptReader:
    _transcript_readers.append(reader)
    return reader


def transcript_scores(student_ids: Iterable[int]) -> dict[int, list[tuple[Decimal, int]]]:
    """Each student's final-control (points, credits) from every registered reader; [] for a student without."""
    ids = list(student_ids)
    scores: dict[int, list[tuple[Decimal, int]]] = {pk: [] for pk in ids}
    for reader in _transcript_readers:
        for student_id, rows in reader(ids).items():
            scores[student_id].extend(rows)
    return scores
