"""The audit trail: one place writes it (`audit_record`), and records whom each event concerns.

A model says whom its events concern with a class attribute `audit_subjects`: a tuple of field paths (Django's
`__` lookups, "self" for the row itself) that lead to the rows a trail is read by — a commission, a student. The
core knows neither: `Slot.audit_subjects = ("sitting__commission", "student")` is declared by the commissions app,
and `audit_record` finds the subjects of the touched row (and of the rows passed in `about`) when it writes the
event, so a call site only passes what it touched. A commission's or a student's trail is then one indexed lookup
(`AuditSubject`), whatever the kind of row the event touched.
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

from django.apps import apps as registry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from attestation.core.models import AuditEvent, AuditSubject

_MISSING = object()
SubjectKey = tuple[int, str]  # (content type id, object id)


def audit_record(
    *,
    actor,
    verb: str,
    obj=None,
    before: dict | None = None,
    after: dict | None = None,
    about: Iterable[models.Model] = (),
) -> AuditEvent:
    """Appends one event to the audit trail; services call it inside their transaction. Its subjects (the
    commission, the student…) come from the `audit_subjects` of `obj` and of the rows in `about`."""
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
    )
    rows = [row for row in (obj, *about) if row is not None and row.pk is not None]
    keys = subjects_of(rows)
    if keys:
        AuditSubject.objects.bulk_create(
            AuditSubject(event=event, content_type_id=ct, object_id=pk) for ct, pk in sorted(keys)
        )
    return event


@cache
def subject_paths(model: type[models.Model]) -> tuple[tuple[str, type[models.Model]], ...]:
    """The model's `audit_subjects` as (lookup, the model the lookup leads to); "self" becomes "pk"."""
    out = []
    for path in getattr(model, "audit_subjects", ()):
        if path == "self":
            out.append(("pk", model))
            continue
        target = model
        for part in path.split("__"):
            target = target._meta.get_field(part).related_model
        out.append((path, target))
    return tuple(out)


def _follow(row: models.Model, path: str):
    """The pk at the end of a to-one path when the rows on the way are already loaded (no query), else _MISSING."""
    if path == "pk":
        return row.pk
    parts = path.split("__")
    for i, part in enumerate(parts):
        try:
            field = row._meta.get_field(part)
        except FieldDoesNotExist:
            return _MISSING
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            return _MISSING
        if i == len(parts) - 1:
            return getattr(row, field.attname)
        if not field.is_cached(row):
            return _MISSING
        row = getattr(row, part)
        if row is None:
            return None
    return _MISSING


def subjects_of(rows: Iterable[models.Model]) -> set[SubjectKey]:
    """The subjects of these rows: read from the loaded rows where it can, else one query per model."""
    keys: set[SubjectKey] = set()
    to_query: dict[type[models.Model], set] = defaultdict(set)
    for row in rows:
        model = type(row)._meta.concrete_model
        for path, target in subject_paths(model):
            value = _follow(row, path)
            if value is _MISSING:
                to_query[model].add(row.pk)
            elif value is not None:
                keys.add((ContentType.objects.get_for_model(target).pk, str(value)))
    for model, pks in to_query.items():
        keys |= _query_subjects(model, model._base_manager.filter(pk__in=pks), subject_paths(model))
    return keys


def _query_subjects(model, queryset, paths) -> set[SubjectKey]:
    keys: set[SubjectKey] = set()
    targets = [ContentType.objects.get_for_model(target).pk for _, target in paths]
    for values in queryset.values_list(*(path for path, _ in paths)):
        keys |= {(ct, str(value)) for ct, value in zip(targets, values, strict=True) if value is not None}
    return keys


def subjects_backfill(apps, batch: int = 2000) -> int:
    """Finds the subjects of events written before subjects were recorded (a data migration calls this with the
    migration's `apps`): for each kind of touched row that declares `audit_subjects`, one query for the rows that
    still exist; events about deleted rows keep none. Returns how many subject rows were written."""
    event_model = apps.get_model("core", "AuditEvent")
    subject_model = apps.get_model("core", "AuditSubject")
    content_type_model = apps.get_model("contenttypes", "ContentType")
    written = 0
    used = event_model.objects.exclude(content_type=None).values_list("content_type", flat=True).distinct()
    for ct in content_type_model.objects.filter(pk__in=list(used)):
        try:
            real = registry.get_model(ct.app_label, ct.model)
            historical = apps.get_model(ct.app_label, ct.model)
        except LookupError:
            continue
        paths = subject_paths(real)
        if not paths:
            continue
        targets = [_content_type_id(content_type_model, target) for _, target in paths]
        events = defaultdict(list)
        for pk, object_id in event_model.objects.filter(content_type=ct).values_list("pk", "object_id"):
            events[object_id].append(pk)
        ids = list(events)
        for start in range(0, len(ids), batch):
            rows = historical._base_manager.filter(pk__in=ids[start : start + batch])
            made = []
            for pk, *values in rows.values_list("pk", *(path for path, _ in paths)):
                keys = {(t, str(v)) for t, v in zip(targets, values, strict=True) if v is not None}
                made += [
                    subject_model(event_id=event, content_type_id=t, object_id=v)
                    for event in events[str(pk)]
                    for t, v in keys
                ]
            subject_model.objects.bulk_create(made, ignore_conflicts=True)
            written += len(made)
    return written


def _content_type_id(content_type_model, target) -> int:
    row, _ = content_type_model.objects.get_or_create(app_label=target._meta.app_label, model=target._meta.model_name)
    return row.pk
