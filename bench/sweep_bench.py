"""Times one deadline sweep over 100,000 open deadlines of which 1,000 are due, and prints the plan of its query.

The sweep (`attestation.core.deadlines.deadlines_sweep`) must act on the 1,000 due deadlines in at most 1 s and
read only what is due: the partial index `deadline_pending_due` (due_at where state is pending) answers the query,
so the plan shows an index scan that returns the due rows and touches none of the 99,000 still to come.

The deadlines belong to a "bench.sweep" kind whose handler does nothing (the sweep's own cost is measured: the
claim in its transaction, the handler lookup, the batching). The rows stay between runs; each run makes the same
1,000 due again. Needs a PostgreSQL DATABASE_URL; migrates it.
Usage: .venv/bin/python bench/sweep_bench.py [open] [due] [runs]   — appends to bench/RESULTS.md
"""

import datetime as dt
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

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from attestation.core import deadlines  # noqa: E402
from attestation.core.models import Deadline  # noqa: E402

KIND = "bench.sweep"
FAR = dt.timedelta(days=3650)


def world(total: int) -> ContentType:
    """`total` bench deadlines (one per object id of the Deadline content type), all pending and far ahead."""
    content_type = ContentType.objects.get_for_model(Deadline)
    have = Deadline.objects.filter(kind=KIND).count()
    later = timezone.now() + FAR
    for start in range(have, total, 10_000):
        Deadline.objects.bulk_create(
            [
                Deadline(content_type=content_type, object_id=n, kind=KIND, due_at=later + dt.timedelta(seconds=n))
                for n in range(start, min(total, start + 10_000))
            ],
            ignore_conflicts=True,
        )
    Deadline.objects.filter(kind=KIND, object_id__gte=total).delete()
    return content_type


def make_due(due: int, now: dt.datetime) -> None:
    """All bench deadlines pending and far ahead, then the first `due` of them due a minute before `now`."""
    Deadline.objects.filter(kind=KIND).exclude(state=Deadline.State.PENDING, due_at__gt=now).update(
        state=Deadline.State.PENDING, handled_at=None, due_at=now + FAR
    )
    Deadline.objects.filter(kind=KIND, object_id__lt=due).update(due_at=now - dt.timedelta(minutes=1))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Deadline._meta.db_table}")  # noqa: S608 - the model's own table


def plan(now: dt.datetime) -> str:
    with transaction.atomic():  # the query locks what it reads, as in the sweep
        query = deadlines.deadlines_due(now=now)[: deadlines.SWEEP_BATCH]
        return query.explain(analyze=True, buffers=True, timing=False, summary=True)


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    due = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL is needed (DATABASE_URL)")
    call_command("migrate", verbosity=0)
    deadlines._HANDLERS[KIND] = lambda deadline: None
    world(total)
    deadlines.deadlines_sweep()  # whatever else is due in this database, handled once before the runs
    seconds, text, open_rows = [], "", 0
    for _ in range(runs):
        now = timezone.now()
        make_due(due, now)
        open_rows = Deadline.objects.filter(state=Deadline.State.PENDING).count()
        text = plan(now)
        started = time.perf_counter()
        handled = deadlines.deadlines_sweep(now=now)
        seconds.append(time.perf_counter() - started)
        assert handled == due, (handled, due)
        assert not Deadline.objects.filter(kind=KIND, state=Deadline.State.PENDING, due_at__lte=now).exists()
    s = statistics.median(seconds)
    lines = [
        f"\n## Deadline sweep, {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%MZ}, {open_rows:,} open deadlines, "
        f"{due:,} due, median of {runs}",
        "```",
        f"sweep open={open_rows} due={due} handled={due} seconds={s:.3f} "
        f"per_deadline_ms={1000 * s / due:.2f} runs={','.join(f'{x:.3f}' for x in seconds)}",
        "EXPLAIN (ANALYZE, BUFFERS) of the sweep's query for one batch, before the run:",
        text,
        "```",
        f"- deadline sweep: {due:,} due of {open_rows:,} open acted on in {s:.2f} s (target ≤ 1 s)",
    ]
    print("\n".join(lines))
    if os.environ.get("BENCH_NO_APPEND"):
        return
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
