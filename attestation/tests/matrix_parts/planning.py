"""The timetable planner (commissions.planning, issue 15): the secretary, the head of the programme's department
and the institution administrator plan, move, lock, publish and reschedule (can_manage_schedule); a member's
declared day off is withdrawn only by that member."""

import datetime as dt

import time_machine

from attestation.tests.factories import StudentFactory
from attestation.tests.matrix_base import Entry, _commission, _slot
from commissions.planning import services
from commissions.planning.models import MemberUnavailability

PLANNERS = frozenset({"secretary", "head", "inst_admin"})


def build(objects: dict) -> None:
    world = objects["world"]
    StudentFactory(group=world.group, first_name_kk="Жаңа")  # not yet placed: something for the planner to place
    with time_machine.travel(dt.datetime(2020, 5, 4, 9, tzinfo=dt.UTC)):  # before the world's attestation period
        draft = services.plan_propose(actor=world.secretary, commission=world.commission)
    first = draft.placements[0]
    objects["plan_first"] = {"student": first[0], "date": first[1]}
    objects["day_off"] = MemberUnavailability.objects.create(
        user=world.member, date=dt.date(2020, 6, 1), created_at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC)
    )


def _move(o):
    return {"student": o["plan_first"]["student"], "date": o["plan_first"]["date"], "time": "10:00"}


ENTRIES = {
    "commissions:plan": Entry("get", _commission, PLANNERS),
    "commissions:plan_propose": Entry("post", _commission, PLANNERS),
    "commissions:plan_move": Entry("post", _commission, PLANNERS, _move),
    "commissions:plan_move_day": Entry(
        "post", _commission, PLANNERS, lambda o: {"date": o["plan_first"]["date"], "to_date": "2020-06-02"}
    ),
    "commissions:plan_lock": Entry(
        "post", _commission, PLANNERS, lambda o: {"students": str(o["plan_first"]["student"]), "locked": "1"}
    ),
    "commissions:plan_publish": Entry("post", _commission, PLANNERS),
    "commissions:reschedule": Entry("get", _slot, PLANNERS),
    "commissions:my_unavailable_withdraw": Entry("post", lambda o: {"pk": o["day_off"].pk}, frozenset({"member"})),
}
