"""What a secretary's save of one sitting costs the waiting students on an exam day (issue 18): how many of the 1,000
waiting students' stored polls it ends (each a miss on their next poll, 2 s later, unless built again ahead), and what
the save itself and the worker's building again cost.

BENCH-U's live exam (bench_seed: 1,000 students waiting for admission today) is split once into 10 sittings of 100
(a bulk update: nothing ended). Each round saves one sitting's meeting link as a secretary would, in a transaction
rolled back at the end (the renewals made at once count; the polls it would queue are taken from the transaction and
built here, timed, as the worker would build them); and, for comparison, renews the portal-wide generation as every
such save did before (`all_student_pages_changed`). A student's poll is ended iff their generation changed.

Usage: .venv/bin/python bench/sitting_save.py [rounds]   (bench/env.sh's settings, the bench data set seeded)
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from attestation.core.student_pages import all_student_pages_changed, generation  # noqa: E402
from attestation.institutions.models import Institution  # noqa: E402
from commissions.models import Sitting, Slot  # noqa: E402
from exams.pages_ahead import BUILD_TASK, exam_poll_build  # noqa: E402
from portal.management.commands.bench_seed import LIVE_EXAM  # noqa: E402

SITTINGS = 10


def live_sittings() -> list[Sitting]:
    """The live exam's sittings, its 1,000 waiting slots split into SITTINGS of 100 (once)."""
    sittings = list(Sitting.objects.filter(commission__name_ru=LIVE_EXAM).order_by("pk"))
    if len(sittings) == 1:
        first = sittings[0]
        for _ in range(SITTINGS - 1):
            sittings.append(
                Sitting.objects.create(
                    commission=first.commission, date=first.date, starts_at=first.starts_at, ends_at=first.ends_at
                )
            )
        slots = list(Slot.objects.filter(sitting=first).order_by("pk").values_list("pk", flat=True))
        share = len(slots) // SITTINGS
        for index, sitting in enumerate(sittings[1:], start=1):
            Slot.objects.filter(pk__in=slots[index * share : (index + 1) * share]).update(sitting=sitting)
    return sittings


def generations(user_ids: list[int]) -> dict[int, tuple]:
    return {user_id: generation(user_id)[0] for user_id in user_ids}


def ended(before: dict[int, tuple]) -> int:
    after = generations(list(before))
    return sum(after[user_id] != gen for user_id, gen in before.items())


def queued_polls() -> set[int]:
    batches = [entry[1] for entry in connection.run_on_commit if getattr(entry[1], "task_name", None) == BUILD_TASK]
    return set().union(*(batch.items for batch in batches))


def sitting_save(sitting: Sitting, round_: int) -> tuple[float, int, set[int]]:
    with transaction.atomic():
        sitting.meeting_url = f"https://zoom.us/j/{round_}"
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            sitting.save()
        took = (time.perf_counter() - start) * 1000
        polls = queued_polls()
        transaction.set_rollback(True)
    return took, len(captured.captured_queries), polls


def main(rounds: int) -> None:
    sittings = live_sittings()
    waiting = list(
        Slot.objects.filter(sitting__in=sittings, attempt__state__in=["scheduled", "identified"]).values_list(
            "student__user_id", flat=True
        )
    )
    uni = Institution.objects.get(short_name="BENCH-U")
    narrow, broad, save_ms, queries, build_ms, built = [], [], [], [], [], []
    for round_ in range(rounds):
        before = generations(waiting)
        took, asked, polls = sitting_save(sittings[round_ % len(sittings)], round_)
        narrow.append(ended(before))
        save_ms.append(took)
        queries.append(asked)
        start = time.perf_counter()
        built.append(exam_poll_build(slot_ids=sorted(polls)))
        build_ms.append((time.perf_counter() - start) * 1000)
        before = generations(waiting)
        all_student_pages_changed()  # what the save did before
        broad.append(ended(before))
    before = generations(waiting)
    with transaction.atomic():
        start = time.perf_counter()
        uni.save()
        institution_ms = (time.perf_counter() - start) * 1000
        transaction.set_rollback(True)
    institution_ended = ended(before)
    print(
        f"RESULT sitting_save waiting={len(waiting)} sittings={len(sittings)} rounds={rounds} "
        f"ended_now={statistics.median(narrow):.0f} ended_before={statistics.median(broad):.0f} "
        f"save_ms={statistics.median(save_ms):.1f} save_queries={statistics.median(queries):.0f} "
        f"polls_built={statistics.median(built):.0f} build_ms={statistics.median(build_ms):.0f} "
        f"institution_save_ms={institution_ms:.1f} institution_ended={institution_ended}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
