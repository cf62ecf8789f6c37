"""A simple greedy timetable, the baseline the benchmark compares the solver with: commissions in their order,
students in group order, each day filled up to the limit before the next."""

from commissions.planning.problem import Problem, Timetable
from commissions.planning.solver import _book, _Context, greedy_task


def greedy(problem: Problem) -> Timetable:
    ctx = _Context.of(problem.busy)
    out = Timetable()
    for task in problem.tasks:
        part = greedy_task(task, ctx)
        _book(task, part, ctx)
        out.sittings += part.sittings
        out.placements += part.placements
    return out
