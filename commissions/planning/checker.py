"""The one check of a timetable against every rule: the solver's output is run through it, and so is every
manual move. It knows nothing of how the timetable was made."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from commissions.planning.problem import Busy, Placement, Problem, Sitting, Task, Timetable, hm


@dataclass(frozen=True)
class Violation:
    rule: str  # a stable code for tests and logs: never shown on a page
    message: str


def duration(minutes: int) -> str:
    """ "7 h 20 min" in the page's language."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return _("%(h)s h") % {"h": hours}
    if not hours:
        return _("%(m)s min") % {"m": rest}
    return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}


def day(date: dt.date) -> str:
    return date.strftime("%d.%m.%Y")


def _overlaps(spans: list[tuple]) -> list[tuple[str, str]]:
    """Pairs of overlapping spans (start, end, label[, given]); two spans given from outside the plan (both
    marked) are not the plan's fault. The plan's own span is named first."""
    spans = sorted(spans)
    out = []
    for i, a in enumerate(spans):
        for b in spans[i + 1 :]:
            if b[0] >= a[1]:
                break
            given_a, given_b = len(a) > 3, len(b) > 3
            if not (given_a and given_b):
                out.append((b[2], a[2]) if given_a else (a[2], b[2]))
    return out


def check(problem: Problem, timetable: Timetable) -> list[Violation]:
    """Every broken rule of the timetable, each once, with a message that names it."""
    found: list[Violation] = []
    tasks = {t.id: t for t in problem.tasks}
    sittings = defaultdict(list)
    for s in timetable.sittings:
        sittings[(s.commission, s.date)].append(s)
    for task in problem.tasks:
        found += _placed_once(task, timetable.placements)
        found += _sittings_ok(task, [s for s in timetable.sittings if s.commission == task.id])
    for p in timetable.placements:
        task = tasks.get(p.commission)
        if task is not None:
            found += _placement_ok(task, p, sittings.get((p.commission, p.date), []))
    found += _breaks_ok(tasks, timetable)
    found += _people_once(problem, timetable)
    found += _students_once(problem, timetable)
    return list(dict.fromkeys(found))


def _label(task: Task, student_id: int) -> str:
    return next((c.label or str(c.id) for c in task.students if c.id == student_id), str(student_id))


def _placed_once(task: Task, placements: list[Placement]) -> list[Violation]:
    counts = defaultdict(int)
    for p in placements:
        if p.commission == task.id:
            counts[p.student] += 1
    out = []
    for c in task.students:
        if counts[c.id] == 0:
            out.append(
                Violation("placed", _("%(student)s has no place with %(c)s.") % {"student": c.label, "c": task.label})
            )
        elif counts[c.id] > 1:
            out.append(
                Violation("placed", _("%(student)s is placed twice with %(c)s.") % {"student": c.label, "c": task.label})
            )
    return out


def _sittings_ok(task: Task, sittings: list[Sitting]) -> list[Violation]:
    out = []
    rules = task.rules
    per_day = defaultdict(int)
    for s in sittings:
        per_day[s.date] += s.minutes
        if s.date not in task.days:
            out.append(
                Violation(
                    "calendar",
                    _("%(date)s is not a working day of the attestation period of %(c)s.")
                    % {"date": day(s.date), "c": task.label},
                )
            )
        if s.start < rules.day_start or s.end > rules.day_end:
            out.append(
                Violation(
                    "day_window",
                    _("The sitting of %(c)s on %(date)s must lie between %(from)s and %(to)s.")
                    % {"c": task.label, "date": day(s.date), "from": hm(rules.day_start), "to": hm(rules.day_end)},
                )
            )
        for person, days in task.unavailable.items():
            if s.date in days and person in task.people:
                out.append(
                    Violation(
                        "unavailable",
                        _("A member of %(c)s declared %(date)s a day they cannot sit.")
                        % {"c": task.label, "date": day(s.date)},
                    )
                )
                break
    for date, minutes in per_day.items():
        if minutes > rules.day_limit:
            out.append(Violation("R11", _limit_message(task, date, minutes)))
    return out


def _limit_message(task: Task, date: dt.date, minutes: int) -> str:
    return _("%(c)s needs %(need)s on %(date)s; the limit is %(limit)s; add a day or a second commission.") % {
        "c": task.label,
        "need": duration(minutes),
        "date": day(date),
        "limit": duration(task.rules.day_limit),
    }


def _placement_ok(task: Task, p: Placement, sittings: list[Sitting]) -> list[Violation]:
    out = []
    who = _label(task, p.student)
    need = next((c.minutes for c in task.students if c.id == p.student), p.minutes)
    if p.minutes < need:
        out.append(
            Violation(
                "duration",
                _("%(student)s needs %(need)s, with any accommodation's extra time; the slot gives %(got)s.")
                % {"student": who, "need": duration(need), "got": duration(p.minutes)},
            )
        )
    home = next((s for s in sittings if s.start <= p.start and p.end <= s.end), None)
    if home is None:
        out.append(
            Violation(
                "sitting",
                _("%(student)s at %(time)s on %(date)s is outside every sitting of %(c)s.")
                % {"student": who, "time": hm(p.start), "date": day(p.date), "c": task.label},
            )
        )
        return out
    if p.start < home.start + task.rules.lead:
        out.append(
            Violation(
                "R19",
                _(
                    "Identification takes %(lead)s before the first student: %(student)s may start at %(time)s at "
                    "the earliest."
                )
                % {"lead": duration(task.rules.lead), "student": who, "time": hm(home.start + task.rules.lead)},
            )
        )
    elif p.start < home.start + task.rules.overhead:
        out.append(
            Violation(
                "R28",
                _("Questioning starts %(delay)s after the last draw: %(student)s may start at %(time)s at the earliest.")
                % {
                    "delay": duration(task.rules.questioning_delay),
                    "student": who,
                    "time": hm(home.start + task.rules.overhead),
                },
            )
        )
    return out


def _breaks_ok(tasks: dict[int, Task], timetable: Timetable) -> list[Violation]:
    out = []
    by_day = defaultdict(list)
    for p in timetable.placements:
        by_day[(p.commission, p.date)].append(p)
    for (commission, date), placements in by_day.items():
        task = tasks.get(commission)
        if task is None:
            continue
        placements.sort(key=lambda p: p.start)
        for a, b in zip(placements, placements[1:], strict=False):
            if b.start < a.end:
                out.append(
                    Violation(
                        "overlap_slot",
                        _("%(a)s and %(b)s overlap at %(time)s on %(date)s: the commission hears one student at a time.")
                        % {
                            "a": _label(task, a.student),
                            "b": _label(task, b.student),
                            "time": hm(b.start),
                            "date": day(date),
                        },
                    )
                )
        out += _run_lengths(task, date, placements)
    return out


def _run_lengths(task: Task, date: dt.date, placements: list[Placement]) -> list[Violation]:
    rules = task.rules
    if not rules.break_after or not placements:
        return []
    run_start, run_end = placements[0].start, placements[0].end
    for p in placements[1:]:
        if p.start - run_end >= rules.break_minutes:
            run_start = p.start
        run_end = max(run_end, p.end)
        if run_end - run_start > rules.break_after:
            return [
                Violation(
                    "break",
                    _("%(c)s works %(run)s without a break on %(date)s; a break of %(pause)s is due after %(after)s.")
                    % {
                        "c": task.label,
                        "run": duration(run_end - run_start),
                        "date": day(date),
                        "pause": duration(rules.break_minutes),
                        "after": duration(rules.break_after),
                    },
                )
            ]
    return []


def _people_once(problem: Problem, timetable: Timetable) -> list[Violation]:
    tasks = {t.id: t for t in problem.tasks}
    spans = defaultdict(list)
    for s in timetable.sittings:
        for person in tasks[s.commission].people if s.commission in tasks else ():
            spans[(person, s.date)].append((s.start, s.end, tasks[s.commission].label))
    _add_busy(spans, problem.busy, "person")
    out = []
    for (_person, date), items in spans.items():
        for a, b in _overlaps(items):
            out.append(
                Violation(
                    "overlap_person",
                    _("A member of %(a)s also sits with %(b)s at the same time on %(date)s.")
                    % {"a": a, "b": b, "date": day(date)},
                )
            )
    return out


def _students_once(problem: Problem, timetable: Timetable) -> list[Violation]:
    tasks = {t.id: t for t in problem.tasks}
    spans = defaultdict(list)
    labels = {}
    for p in timetable.placements:
        task = tasks.get(p.commission)
        if task is not None:
            labels[p.student] = _label(task, p.student)
            spans[(p.student, p.date)].append((p.start, p.end, task.label))
    _add_busy(spans, problem.busy, "student")
    out = []
    for (student, date), items in spans.items():
        if _overlaps(items):
            out.append(
                Violation(
                    "overlap_student",
                    _("%(student)s would be in two places at once on %(date)s.")
                    % {"student": labels.get(student, student), "date": day(date)},
                )
            )
    return out


def _add_busy(spans: dict, busy: list[Busy], who: str) -> None:
    for b in busy:
        if b.who == who and (b.id, b.date) in spans:
            spans[(b.id, b.date)].append((b.start, b.end, _("another sitting"), "given"))
