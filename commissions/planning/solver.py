"""The timetable by OR-Tools CP-SAT, one commission at a time (people shared between commissions see the sittings
already planned as busy time), with cheap pre-checks and, when the solver finds nothing, a search for the
constraint group that binds (relax one group at a time and see whether it becomes feasible)."""

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from commissions.planning.checker import _limit_message, day, duration
from commissions.planning.problem import (
    Busy,
    Candidate,
    Objective,
    Placement,
    Problem,
    Rules,
    Sitting,
    Task,
    Timetable,
    objective_of,
)

# Weights of the objective: a day costs more than a group split, a split more than an idle day in between.
W_DAY, W_SPLIT, W_GAP = 1000, 100, 10


@dataclass
class Trouble:
    """Why a commission could not be planned: the binding constraint, in words."""

    commission: int
    message: str


@dataclass
class Outcome:
    timetable: Timetable
    troubles: list[Trouble] = field(default_factory=list)
    objective: Objective | None = None
    per_commission: dict[int, Objective] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.troubles


@dataclass
class _Relax:
    people: bool = False  # ignore the members' other sittings
    unavailable: bool = False  # ignore the declared days off
    students: bool = False  # ignore the students' other exams
    limit: bool = False  # ignore the daily limit (R11)


@dataclass
class _Context:
    """Busy time known while planning: from outside the plan and from the commissions planned so far."""

    person: dict = field(default_factory=lambda: defaultdict(list))  # (person, date) → [(start, end)]
    student: dict = field(default_factory=lambda: defaultdict(set))  # student → {date}

    @classmethod
    def of(cls, busy: list[Busy]) -> "_Context":
        ctx = cls()
        for b in busy:
            if b.who == "person":
                ctx.person[(b.id, b.date)].append((b.start, b.end))
            else:
                ctx.student[b.id].add(b.date)
        return ctx


def solve(problem: Problem, *, time_limit: float = 10.0, workers: int = 2) -> Outcome:
    """Plans every commission of the problem; a commission that cannot be planned gets a Trouble naming why."""
    began = time.monotonic()
    ctx = _Context.of(problem.busy)
    locked = defaultdict(list)
    for p in problem.locked:
        locked[p.commission].append(p)
    timetable, troubles = Timetable(), []
    order = sorted(problem.tasks, key=_tightness, reverse=True)
    for index, task in enumerate(order):
        left = max(0.05, time_limit - (time.monotonic() - began))
        budget = max(0.05, min(left / (len(order) - index), time_limit / 2))
        part, trouble = _plan_task(task, locked[task.id], ctx, budget, workers)
        if trouble is not None:
            troubles.append(trouble)
            continue
        _book(task, part, ctx)
        timetable.sittings += part.sittings
        timetable.placements += part.placements
    total, per = objective_of(problem, timetable)
    return Outcome(timetable, troubles, total, per, time.monotonic() - began)


def _tightness(task: Task) -> float:
    need = sum(c.minutes for c in task.students)
    return need / max(1, len(task.days) * task.rules.day_limit)


def _book(task: Task, part: Timetable, ctx: _Context) -> None:
    for s in part.sittings:
        for person in task.people:
            ctx.person[(person, s.date)].append((s.start, s.end))
    for p in part.placements:
        ctx.student[p.student].add(p.date)


def _plan_task(task: Task, locked: list[Placement], ctx: _Context, budget: float, workers: int):
    trouble = precheck(task, locked, ctx)
    if trouble is not None:
        return None, Trouble(task.id, trouble)
    start = None if locked else greedy_task(task, ctx)
    part = _cp_solve(task, locked, ctx, _Relax(), budget, workers, hint=start)
    if part is None and start is not None and len(start.placements) == len(task.students):
        part = start  # CP-SAT ran out of time before its first solution; the greedy one keeps every rule too
    if part is None:
        return None, Trouble(task.id, _binding(task, locked, ctx, budget, workers))
    return part, None


def greedy_task(task: Task, ctx: _Context) -> Timetable:
    """The simple way: students in group order, each day filled up to the limit before the next."""
    rules = task.rules
    queue = sorted(task.students, key=lambda c: (c.group, c.label, c.id))
    part = Timetable()
    for date in _allowed_days(task, _Relax()):
        if not queue:
            break
        window = _window_for(task, date, ctx, _Relax(), [])
        if window is None:
            continue
        cap = min(rules.day_limit, window[1] - window[0])
        room, today = cap - rules.overhead, []
        while queue and queue[0].minutes <= room and date not in ctx.student.get(queue[0].id, ()):
            room -= queue[0].minutes
            today.append(queue.pop(0))
        placements = lay_out(task, date, window[0], today, [])
        while placements and placements[-1].end - window[0] > cap:
            queue.insert(0, next(c for c in today if c.id == placements[-1].student))  # breaks took its room
            placements.pop()
        if placements:
            part.sittings.append(Sitting(task.id, date, window[0], placements[-1].end))
            part.placements += placements
    return part


# ---- what a day offers -----------------------------------------------------------------------------------------


def _allowed_days(task: Task, relax: _Relax) -> list[dt.date]:
    if relax.unavailable:
        return list(task.days)
    off = set().union(*[days for person, days in task.unavailable.items() if person in task.people] or [set()])
    return [d for d in task.days if d not in off]


def _free_windows(task: Task, date: dt.date, ctx: _Context, relax: _Relax) -> list[tuple[int, int]]:
    """The stretches of the day in which none of the commission's people sits elsewhere."""
    rules = task.rules
    taken = [] if relax.people else sorted(span for p in task.people for span in ctx.person.get((p, date), ()))
    windows, cursor = [], rules.day_start
    for start, end in taken:
        if start > cursor:
            windows.append((cursor, min(start, rules.day_end)))
        cursor = max(cursor, end)
    if cursor < rules.day_end:
        windows.append((cursor, rules.day_end))
    return [(a, b) for a, b in windows if b > a]


def _window_for(task: Task, date: dt.date, ctx: _Context, relax: _Relax, fixed: list[Placement]):
    """The window a day's sitting lies in: the one holding the locked slots, or the longest."""
    windows = _free_windows(task, date, ctx, relax)
    if fixed:
        lo = min(p.start for p in fixed) - task.rules.overhead
        hi = max(p.end for p in fixed)
        return next(((a, b) for a, b in windows if a <= lo and hi <= b), None)
    return max(windows, key=lambda w: w[1] - w[0], default=None)


def _capacity(task: Task, date: dt.date, ctx: _Context, relax: _Relax, fixed: list[Placement]) -> int:
    window = _window_for(task, date, ctx, relax, fixed)
    if window is None:
        return 0
    length = window[1] - window[0]
    return length if relax.limit else min(task.rules.day_limit, length)


# ---- cheap pre-checks ------------------------------------------------------------------------------------------


def precheck(task: Task, locked: list[Placement], ctx: _Context) -> str | None:
    """The binding constraint when it can be seen without solving, else None."""
    rules, relax = task.rules, _Relax()
    if not task.students:
        return None
    if not task.days:
        return _("%(c)s has no working day in its attestation period.") % {"c": task.label}
    days = _allowed_days(task, relax)
    if not days:
        return _("The members of %(c)s declared every working day of the period a day they cannot sit.") % {"c": task.label}
    longest = max(task.students, key=lambda c: c.minutes)
    if rules.overhead + longest.minutes > rules.day_limit:
        return _("%(student)s needs %(need)s with identification; the limit is %(limit)s a day.") % {
            "student": longest.label,
            "need": duration(rules.overhead + longest.minutes),
            "limit": duration(rules.day_limit),
        }
    if rules.break_after and longest.minutes > rules.break_after:
        return _("%(student)s needs %(need)s in one go; the policy wants a break after %(after)s.") % {
            "student": longest.label,
            "need": duration(longest.minutes),
            "after": duration(rules.break_after),
        }
    for date, fixed in _by_date(locked).items():
        need = rules.overhead + max(p.end for p in fixed) - min(p.start for p in fixed)
        if need > rules.day_limit:
            return _limit_message(task, date, need)
    for c in task.students:
        if not [d for d in days if d not in ctx.student.get(c.id, ())]:
            return _("%(student)s has another exam on every day %(c)s can sit.") % {
                "student": c.label,
                "c": task.label,
            }
    return _total_check(task, days, locked, ctx)


def _total_check(task: Task, days: list[dt.date], locked: list[Placement], ctx: _Context) -> str | None:
    rules = task.rules
    fixed = _by_date(locked)
    # The hours alone: what the people's other sittings take is found by relaxing, to name it as the cause.
    caps = {d: _capacity(task, d, ctx, _Relax(people=True), fixed.get(d, [])) for d in days}
    usable = [d for d in days if caps[d] > rules.overhead]
    need_students = sum(c.minutes for c in task.students)
    if len(days) == 1:
        need = rules.overhead + need_students + _breaks_at_least(rules, need_students)
        if need > rules.day_limit:
            return _limit_message(task, days[0], need)
    room = sum(caps[d] - rules.overhead for d in usable)
    if need_students > room:
        return _(
            "%(c)s needs %(need)s of students over %(n)s sitting days (%(first)s–%(last)s); at most %(room)s fit "
            "within the limit of %(limit)s a day; add a day or a second commission."
        ) % {
            "c": task.label,
            "need": duration(need_students),
            "n": len(days),
            "first": day(days[0]),
            "last": day(days[-1]),
            "room": duration(room),
            "limit": duration(rules.day_limit),
        }
    return None


def _breaks_at_least(rules: Rules, minutes: int) -> int:
    if not rules.break_after or minutes <= rules.break_after:
        return 0
    return rules.break_minutes * (-(-minutes // rules.break_after) - 1)


def _by_date(placements: list[Placement]) -> dict[dt.date, list[Placement]]:
    out = defaultdict(list)
    for p in placements:
        out[p.date].append(p)
    return out


# ---- the CP-SAT model --------------------------------------------------------------------------------------------


def _classes(task: Task, locked_ids: set[int], days: list[dt.date], ctx: _Context, relax: _Relax):
    """Students who are interchangeable for the model: same group, minutes and days they cannot sit."""
    classes = defaultdict(list)
    for c in sorted(task.students, key=lambda c: (c.group, c.label, c.id)):
        if c.id in locked_ids:
            continue
        banned = frozenset() if relax.students else frozenset(d for d in days if d in ctx.student.get(c.id, ()))
        classes[(c.group, c.minutes, banned)].append(c)
    return classes


def _cp_solve(
    task: Task,
    locked: list[Placement],
    ctx: _Context,
    relax: _Relax,
    budget: float,
    workers: int,
    hint: Timetable | None = None,
):
    """Counts per day from CP-SAT, then the layout. Breaks are first counted as if every run between two breaks
    were full; a day the layout then overfills gets its room cut by the overflow and the model is solved again
    (at most three times, then the safe count for every day)."""
    days = _allowed_days(task, relax)
    fixed = _by_date(locked)
    if any(d not in days for d in fixed):
        return None
    classes = _classes(task, {p.student for p in locked}, days, ctx, relax)
    if not classes and not locked:
        return Timetable()
    caps = {d: _capacity(task, d, ctx, relax, fixed.get(d, [])) for d in days}
    near = _horizon(task, days, caps, fixed)
    if len(near) < len(days):
        part = _cp_solve_days(task, near, classes, fixed, caps, ctx, relax, budget * 0.7, workers, hint)
        if part is not None:
            return part
    return _cp_solve_days(task, days, classes, fixed, caps, ctx, relax, budget, workers, hint)


def _horizon(task: Task, days: list[dt.date], caps: dict, fixed: dict) -> list[dt.date]:
    """The first days that are enough with room to spare (twice the fewest days, plus four): a smaller model
    that solves faster; the whole period is tried only when these are not enough."""
    need = sum(c.minutes for c in task.students)
    per_day = max(1, task.rules.day_limit - task.rules.overhead)
    count = 2 * -(-need // per_day) + 4
    return [d for d in days if d in fixed or days.index(d) < count] if count < len(days) else days


def _cp_solve_days(task, days, classes, fixed, caps, ctx, relax, budget, workers, hint):
    began = time.monotonic()
    for attempt in range(4):
        stretch = task.rules.break_after if attempt < 3 else _stretch(task)
        left = max(0.05, budget - (time.monotonic() - began))
        chosen = _cp_counts(task, days, classes, fixed, caps, stretch, left if attempt == 3 else left / 2, workers, hint)
        if chosen is None:
            return None if attempt in (0, 3) else _cp_solve_safe(task, days, classes, fixed, caps, ctx, relax, left, workers)
        laid = _sequence(task, chosen, fixed, ctx, relax)
        over = {s.date: s.minutes - caps[s.date] for s in laid.sittings if s.minutes > caps[s.date]}
        if not over:
            return laid
        for date, excess in over.items():
            caps[date] -= excess
    return None


def _cp_solve_safe(task, days, classes, fixed, caps, ctx, relax, budget, workers):
    chosen = _cp_counts(task, days, classes, fixed, caps, _stretch(task), budget, workers)
    return None if chosen is None else _sequence(task, chosen, fixed, ctx, relax)


def _cp_counts(task: Task, days, classes, fixed, caps, stretch: int, budget: float, workers: int, hint=None):
    """How many students of each class sit on each day."""
    rules = task.rules
    model = cp_model.CpModel()
    use = {d: model.new_bool_var(f"use{i}") for i, d in enumerate(days)}
    n = {}
    for k, (key, members) in enumerate(classes.items()):
        for i, d in enumerate(days):
            top = 0 if d in key[2] else len(members)
            n[(key, d)] = model.new_int_var(0, top, f"n{k}_{i}")
        model.add(sum(n[(key, d)] for d in days) == len(members))
    groups = defaultdict(list)
    for key in classes:
        groups[key[0]].append(key)
    gday = {}
    for g, keys in groups.items():
        size = sum(len(classes[k]) for k in keys)
        for d in days:
            gday[(g, d)] = model.new_bool_var("")
            model.add(sum(n[(k, d)] for k in keys) <= size * gday[(g, d)])
    for i, d in enumerate(days):
        students = sum(k[1] * n[(k, d)] for k in classes) + sum(p.minutes for p in fixed.get(d, []))
        pauses = 0
        if rules.break_after and rules.break_minutes:
            nb = model.new_int_var(0, rules.day_limit // max(1, rules.break_minutes) + 1, f"nb{i}")
            model.add((nb + 1) * stretch >= students)
            pauses = rules.break_minutes * nb
        model.add(rules.overhead * use[d] + students + pauses <= max(0, caps[d]) * use[d])
        if d in fixed:
            model.add(use[d] == 1)
    # Days that offer the same room to the same students are interchangeable: use them in order (fewer
    # symmetric solutions to search through, and no idle day between two of them).
    for a, b in zip(days, days[1:], strict=False):
        same = caps[a] == caps[b] and a not in fixed and b not in fixed
        if same and all((a in key[2]) == (b in key[2]) for key in classes):
            model.add(use[a] >= use[b])
    first = model.new_int_var(0, len(days), "first")
    last = model.new_int_var(0, len(days), "last")
    for i, d in enumerate(days):
        model.add(first <= i).only_enforce_if(use[d])
        model.add(last >= i).only_enforce_if(use[d])
    used = sum(use.values())
    splits = sum(gday.values()) - len(groups)
    model.minimize(W_DAY * used + W_SPLIT * splits + W_GAP * (last - first + 1 - used) + first)
    if hint is not None:
        _add_hint(model, hint, classes, days, use, n)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = budget
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = defaultdict(list)
    for key, members in classes.items():
        pool = list(members)
        for d in days:
            for _i in range(solver.value(n[(key, d)])):
                chosen[d].append(pool.pop(0))
    return chosen


def _add_hint(model, hint: Timetable, classes, days, use, n) -> None:
    """Starts the search from the greedy timetable's counts."""
    day_of = {p.student: p.date for p in hint.placements}
    for d in days:
        model.add_hint(use[d], any(s.date == d for s in hint.sittings))
    for key, members in classes.items():
        for d in days:
            model.add_hint(n[(key, d)], sum(1 for c in members if day_of.get(c.id) == d))


def _stretch(task: Task) -> int:
    """The shortest run of students between two breaks that lay_out can leave: a run ends only when the next
    student would pass break_after, so it is longer than break_after minus the longest student, and it is made of
    whole multiples of the durations' common divisor."""
    minutes = [c.minutes for c in task.students] or [1]
    step = math.gcd(task.rules.break_after, *minutes)
    return max(1, task.rules.break_after - max(minutes) + step)


# ---- from counts to times ----------------------------------------------------------------------------------------


def _sequence(task: Task, chosen: dict, fixed: dict, ctx: _Context, relax: _Relax) -> Timetable:
    """Lays each day out: identification (and the oral draw's delay), the students group by group, breaks."""
    out = Timetable()
    for date in sorted(set(chosen) | set(fixed)):
        students = sorted(chosen.get(date, []), key=lambda c: (c.group, c.label, c.id))
        window = _window_for(task, date, ctx, relax, fixed.get(date, []))
        start = window[0] if window else task.rules.day_start
        placements = lay_out(task, date, start, students, fixed.get(date, []))
        end = max(p.end for p in placements) if placements else start
        out.sittings.append(Sitting(task.id, date, start, end))
        out.placements += placements
    return out


def lay_out(task: Task, date: dt.date, start: int, students: list[Candidate], fixed: list[Placement]) -> list[Placement]:
    """The students one after another from `start` plus the lead, around the locked slots, with the policy's
    breaks; used by the solver and by the greedy baseline alike."""
    rules = task.rules
    fixed = sorted(fixed, key=lambda p: p.start)
    t = start + rules.overhead
    run_start = run_end = t
    out = list(fixed)
    for c in students:
        while True:
            if t - run_end >= rules.break_minutes:
                run_start = t
            if rules.break_after and t + c.minutes - run_start > rules.break_after:
                t = max(t, run_end + rules.break_minutes)
                run_start = t
            clash = next((p for p in fixed if p.start < t + c.minutes and t < p.end), None)
            if clash is None:
                break
            t = clash.end
            run_end = max(run_end, clash.end)
        out.append(Placement(task.id, c.id, date, t, c.minutes))
        t += c.minutes
        run_end = t
    return sorted(out, key=lambda p: p.start)


# ---- which constraint binds --------------------------------------------------------------------------------------

RELAXATIONS = (
    ("people", lambda: _Relax(people=True)),
    ("unavailable", lambda: _Relax(unavailable=True)),
    ("students", lambda: _Relax(students=True)),
    ("limit", lambda: _Relax(limit=True)),
)


def _binding(task: Task, locked: list[Placement], ctx: _Context, budget: float, workers: int) -> str:
    """Relaxes one constraint group at a time; the first whose relaxation makes the plan feasible binds."""
    for name, relax in RELAXATIONS:
        if _cp_solve(task, locked, ctx, relax(), budget, workers) is not None:
            return _binding_message(task, name)
    return _("%(c)s cannot be planned in its period even without the limits; add days to the period.") % {"c": task.label}


def _binding_message(task: Task, name: str) -> str:
    messages = {
        "people": _(
            "%(c)s: its members sit with other commissions on the free days, and what is left of those days is too "
            "short; move the other sittings, add a day, or form a second commission."
        ),
        "unavailable": _(
            "%(c)s: the days its members declared they cannot sit leave too few days; ask them, add a day, or form a "
            "second commission."
        ),
        "students": _("%(c)s: its students have other exams on the days it could sit; add a day."),
        "limit": _(
            "%(c)s needs more than the limit of %(limit)s a day on the days it can sit; add a day or a second commission."
        ),
    }
    return messages[name] % {"c": task.label, "limit": duration(task.rules.day_limit)}
