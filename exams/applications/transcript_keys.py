"""The score table's two foreign keys checked set-based for the transcript import's one INSERT (PostgreSQL).

PostgreSQL checks a foreign key row by row: for every inserted score, an internal trigger runs
`SELECT 1 FROM student WHERE id = $1 FOR KEY SHARE` (and the same for the discipline) — 200,000 calls for 100,000
new scores, most of a new file's write. The import already knows every id it writes (`transcript_checked`), so it
can do what those triggers do once per *distinct* id instead:

1. lock the distinct students and disciplines with `SELECT … FOR KEY SHARE` — the very lock the trigger takes, so
   a concurrent DELETE of one of them (or a change of its id) waits until the import commits, and its own
   foreign-key check then sees the new scores;
2. check that every distinct id was found and locked. A row deleted by a transaction that committed before the
   lock is simply not returned (READ COMMITTED rechecks a row whose lock it waited for), so a missing id is never
   written: its rows are named like any other unknown student or discipline (`keys_missing`);
3. only then run the INSERT with `SET LOCAL session_replication_role = replica`, which skips the row-by-row
   triggers for that one statement, and set it back to `origin` right after.

Replica mode skips *every* ordinary trigger and rule of the table, so it is used only when the table has nothing
else it would skip: no trigger but the internal ones of its own two foreign keys (no user trigger, no deferrable
unique check, no key of another table pointing at it), no rule, exactly the two keys this module locks, and the
session in `origin` mode to begin with (`replica_allowed`). Setting the parameter needs superuser or, from
PostgreSQL 15, `GRANT SET ON PARAMETER session_replication_role TO <role>` (docs/production.md); without it the
import keeps the row-by-row triggers. (In REPEATABLE READ a concurrent delete makes the lock fail with a
serialization error instead, as it makes the trigger fail: the import is refused and nothing is written.)
"""

from django.db import connection

from attestation.institutions.models import Discipline, Student
from exams.applications.models import TranscriptRow

KEYS = (("student_id", Student), ("discipline_id", Discipline))  # the score table's keys, as this module locks them

MAY_SET = {  # may the current role set session_replication_role (a superuser-only parameter before PostgreSQL 15)?
    "15+": "has_parameter_privilege('session_replication_role', 'SET')",
    "older": "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
}
SHAPE = (  # the privilege, what replica mode would skip on the score table, and its foreign keys: one catalog query
    "SELECT {may_set}, current_setting('session_replication_role'), "
    "(SELECT count(*) FROM pg_trigger t LEFT JOIN pg_constraint c ON c.oid = t.tgconstraint "
    " WHERE t.tgrelid = %(table)s::regclass "
    " AND NOT (t.tgisinternal AND c.contype = 'f' AND c.conrelid = t.tgrelid)), "
    "(SELECT count(*) FROM pg_rewrite WHERE ev_class = %(table)s::regclass), "
    "(SELECT array_agg(ARRAY[a.attname::text, c.confrelid::regclass::text, fa.attname::text] ORDER BY a.attname) "
    " FROM pg_constraint c "
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
    " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
    " WHERE c.conrelid = %(table)s::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1)"
)


def replica_allowed(cursor) -> bool:
    """Whether the one INSERT may run in replica mode: the role may set session_replication_role, the session is in
    the ordinary (origin) mode, and the score table has no trigger or rule that replica mode would skip besides its
    two foreign keys' checks, which are exactly the keys `keys_lock` takes.

    Asked in every import, in one catalog query (about a millisecond): a role changed by SET ROLE, a REVOKE or a
    trigger added by a migration is seen at once, which a flag kept per connection would miss."""
    may_set = MAY_SET["15+" if connection.pg_version >= 150000 else "older"]
    cursor.execute(SHAPE.format(may_set=may_set), {"table": TranscriptRow._meta.db_table})
    allowed, mode, other_triggers, rules, keys = cursor.fetchone()
    expected = sorted([column, model._meta.db_table, model._meta.pk.column] for column, model in KEYS)
    return allowed and mode == "origin" and not other_triggers and not rules and sorted(keys or []) == expected


def ids_in(checked: str) -> dict[str, str]:
    """For `keys_lock`: each key column's distinct ids, read from the checked rows themselves."""
    return {column: f"SELECT DISTINCT {column} AS id FROM {checked}" for column, _model in KEYS}  # noqa: S608


def keys_lock(cursor, wanted: dict[str, str]) -> bool:
    """Locks every distinct student and discipline of the checked rows as the foreign-key triggers would (FOR KEY
    SHARE, until the commit); False when one of them is gone (deleted before its lock could be taken).

    `wanted` gives, for each key column, a query of the distinct ids (`ids` the column): `ids_in(checked)`, or the
    smaller tables the ids came from, with one row per student rather than per score."""
    parts, counts = [], []
    for column, model in KEYS:
        table, pk = model._meta.db_table, model._meta.pk.column
        parts += [
            f"{column}_wanted AS ({wanted[column]})",
            f"{column}_locked AS (SELECT {pk} FROM {table} WHERE {pk} IN (SELECT id FROM {column}_wanted) "  # noqa: S608
            "FOR KEY SHARE)",
        ]
        counts.append(f"(SELECT count(*) FROM {column}_locked) = (SELECT count(*) FROM {column}_wanted)")  # noqa: S608
    cursor.execute(f"WITH {', '.join(parts)} SELECT {' AND '.join(counts)}")
    return cursor.fetchone()[0]


def keys_missing(cursor, checked: str) -> int:
    """Clears, in the checked rows, the students and disciplines that are no longer there (so the rows are named
    as unknown, as a file imported a moment later would be); the number of rows cleared."""
    cleared = 0
    for column, model in KEYS:
        table, pk = model._meta.db_table, model._meta.pk.column
        cursor.execute(
            f"UPDATE {checked} SET {column} = NULL WHERE NOT EXISTS (SELECT FROM {table} WHERE {pk} = {column})"  # noqa: S608
        )
        cleared += cursor.rowcount
    return cleared
