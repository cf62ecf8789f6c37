"""Bulk create-or-update of programmes and groups by the institution's own keys (programme code, group name).

Used by the API for the institution's systems: every item is checked first; if any is wrong nothing is written and
each wrong item is named with its field; the same payload twice changes nothing the second time.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.institutions.models import LANGUAGE_CHOICES, Department, Group, Institution, Programme


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (item index, field, problem)

    @property
    def ok(self) -> bool:
        return not self.errors


PROGRAMME_FIELDS = ("name_kk", "name_ru", "name_en", "level")


def _department_index(institution: Institution) -> dict[str, Department]:
    index: dict[str, Department] = {}
    for department in Department.objects.filter(institution=institution):
        for name in (department.name_kk, department.name_ru, department.name_en):
            if name:
                index.setdefault(name.strip().casefold(), department)
    return index


def _check_unique(items: list[dict], key: str, result: BulkResult) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        value = item.get(key)
        if value in seen:
            result.errors.append((i, key, _("the same value as item %(n)s") % {"n": seen[value]}))
        seen.setdefault(value, i)


def _model_errors(obj, i: int, result: BulkResult, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, problems in exc.message_dict.items():
            result.errors.extend((i, name, p) for p in problems)


def _write(objects: list, fields: list[str], result: BulkResult, *, actor, verb: str, institution: Institution) -> None:
    changed = [o for o in objects if o.pk]
    new = [o for o in objects if not o.pk]
    with transaction.atomic():
        if new:
            type(new[0]).objects.bulk_create(new, batch_size=1000)
        if changed:
            type(changed[0]).objects.bulk_update(changed, fields, batch_size=1000)
        result.created, result.updated = len(new), len(changed)
        audit_record(
            actor=actor,
            verb=verb,
            obj=institution,
            after={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )


def programmes_upsert(*, actor, institution: Institution, items: list[dict]) -> BulkResult:
    """Items: code, department (its name in any language), name_kk, name_ru, name_en, level."""
    result = BulkResult()
    _check_unique(items, "code", result)
    departments = _department_index(institution)
    existing = {p.code: p for p in Programme.objects.filter(department__institution=institution)}
    objects = []
    for i, item in enumerate(items):
        department = departments.get(str(item.get("department", "")).strip().casefold())
        if department is None:
            result.errors.append((i, "department", _("no such department in this institution")))
            continue
        programme = existing.get(item["code"]) or Programme(code=item["code"])
        before = (programme.department_id, *(getattr(programme, f) for f in PROGRAMME_FIELDS))
        programme.department = department
        for name in PROGRAMME_FIELDS:
            setattr(programme, name, item.get(name) or "")
        _model_errors(programme, i, result, exclude=[])
        if programme.pk and before == (programme.department_id, *(getattr(programme, f) for f in PROGRAMME_FIELDS)):
            result.unchanged += 1
        else:
            objects.append(programme)
    if result.ok:
        _write(
            objects, ["department", *PROGRAMME_FIELDS], result, actor=actor, verb="programmes.sync", institution=institution
        )
    return result


def groups_upsert(*, actor, institution: Institution, items: list[dict]) -> BulkResult:
    """Items: name, programme (its code), study_language (kk, ru or en)."""
    result = BulkResult()
    _check_unique(items, "name", result)
    programmes = {p.code: p for p in Programme.objects.filter(department__institution=institution)}
    existing = {g.name: g for g in Group.objects.filter(programme__department__institution=institution)}
    languages = {code for code, _label in LANGUAGE_CHOICES}
    objects = []
    for i, item in enumerate(items):
        programme = programmes.get(item.get("programme", ""))
        if programme is None:
            result.errors.append((i, "programme", _("no programme with this code in this institution")))
            continue
        if item.get("study_language") not in languages:
            result.errors.append((i, "study_language", _("the language of study is kk, ru or en")))
            continue
        group = existing.get(item["name"]) or Group(name=item["name"])
        before = (group.programme_id, group.study_language)
        group.programme, group.study_language = programme, item["study_language"]
        _model_errors(group, i, result, exclude=[])
        if group.pk and before == (group.programme_id, group.study_language):
            result.unchanged += 1
        else:
            objects.append(group)
    if result.ok:
        _write(objects, ["programme", "study_language"], result, actor=actor, verb="groups.sync", institution=institution)
    return result
