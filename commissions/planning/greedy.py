"""A simple greedy timetable, the baseline the benchmark compares the solver with: commissions in their order,
students in group order, each day filled up to the limit before the next."""

from commissions.planning.problem import Problem, Sitting, Timetable, objective_of
from commissions.planning.solver import _allowed_days, _book, _Context, _Relax, _window_for, lay_out


def greedy(problem: Problem) -> Timetable:
    ctx = _Context.of(problem.busy)
    out = Timetable()
    for task in problem.tasks:
        rules = task.rules
        queue = sorted(task.students, key=lambda c: (c.group, c.label, c.id))
        part = Timetable()
        for date in _allowed_days(task, _Relax()):
            if not queue:
                break
            window = _window_for(task, date, ctx, _Relax(), [])
            if window is None:
                continue
            room = min(rules.day_limit, window[1] - window[0]) - rules.overhead
            today = []
            while queue and queue[0].minutes <= room and date not in ctx.student.get(queue[0].id, ()):
                room -= queue[0].minutes
                today.append(queue.pop(0))
            placements = lay_out(task, date, window[0], today, [])
            while placements and placements[-1].end - window[0] > min(rules.day_limit, window[1] - window[0]):
                queue.insert(0, next(c for c in today if c.id == placements[-1].student))  # breaks took its room
                placements.pop()
            if placements:
                part.sittings.append(Sitting(task.id, date, window[0], placements[-1].end))
                part.placements += placements
        _book(task, part, ctx)
        out.sittings += part.sittings
        out.placements += part.placements
    return out


__all__ = ["greedy", "objective_of"]
