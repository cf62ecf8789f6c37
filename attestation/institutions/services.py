"""Writes on institutions, their policy and their people."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from attestation.core.audit import audit_record
from attestation.grading.scale import grade_scale_create_default
from attestation.institutions.models import Institution, Policy, Staff
from attestation.workcal.models import CalendarOverride  # noqa: F401 - keeps the calendar app loaded first

User = get_user_model()

# Sent (with `policy`) after a policy is created or changed: features whose deadlines follow the policy's dates
# (the "I" cutoff, R43) plug in here instead of the core importing them.
policy_saved = Signal()


def _policy_snapshot(policy: Policy) -> dict:
    data = model_to_dict(policy, exclude=["id", "institution"])
    return {k: str(v) for k, v in data.items()}


@transaction.atomic
def institution_create(
    *,
    actor,
    kind: str,
    short_name: str,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    academic_year: int,
    time_zone: str = "Asia/Almaty",
) -> Institution:
    """Creates an institution with its policy for the year (documents' defaults) and the default grade scale."""
    institution = Institution(
        kind=kind, short_name=short_name, name_kk=name_kk, name_ru=name_ru, name_en=name_en, time_zone=time_zone
    )
    institution.full_clean()
    institution.save()
    policy_create_default(actor=actor, institution=institution, academic_year=academic_year)
    grade_scale_create_default(
        institution=institution,
        valid_from=Policy.default_cutoff(academic_year - 20).replace(month=1, day=1),
        uses_five_point=institution.kind == Institution.Kind.TVET,
    )
    audit_record(actor=actor, verb="institution.create", obj=institution, after={"short_name": short_name})
    return institution


@transaction.atomic
def policy_create_default(*, actor, institution: Institution, academic_year: int) -> Policy:
    """The documents' defaults for one academic year; colleges get the 45-minute academic hour."""
    policy = Policy(
        institution=institution,
        academic_year=academic_year,
        cutoff_date=Policy.default_cutoff(academic_year),
        academic_hour_minutes=45 if institution.kind == Institution.Kind.TVET else 50,
    )
    policy.full_clean()
    policy.save()
    audit_record(actor=actor, verb="policy.create", obj=policy, after=_policy_snapshot(policy))
    policy_saved.send(sender=Policy, policy=policy)
    return policy


# What a new year's policy does not copy: its own key and bookkeeping.
_NOT_COPIED = ("id", "institution", "academic_year", "updated_at")


@transaction.atomic
def policy_copy_to_year(*, actor, source: Policy, academic_year: int) -> Policy:
    """A new academic year's policy: every value of `source` (the year in force), the cutoff moved to the same day of
    the new year; edited afterwards on the policy page. A year that already has its policy is refused."""
    if Policy.objects.filter(institution_id=source.institution_id, academic_year=academic_year).exists():
        raise ValidationError(
            {"academic_year": _("The policy for %(year)s already exists: edit it.") % {"year": academic_year}}
        )
    values = {f.name: getattr(source, f.name) for f in Policy._meta.concrete_fields if f.name not in _NOT_COPIED}
    shift = academic_year - source.academic_year
    values["cutoff_date"] = _same_day_in(source.cutoff_date, source.cutoff_date.year + shift)
    policy = Policy(institution_id=source.institution_id, academic_year=academic_year, **values)
    policy.full_clean()
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError as exc:
        raise ValidationError(_("The policy for %(year)s already exists: edit it.") % {"year": academic_year}) from exc
    after = {**_policy_snapshot(policy), "copied_from": source.academic_year}
    audit_record(actor=actor, verb="policy.create", obj=policy, after=after)
    policy_saved.send(sender=Policy, policy=policy)
    return policy


def _same_day_in(day, year: int):
    """The same calendar day in another year (29 February becomes the 28th)."""
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


@transaction.atomic
def policy_update(*, actor, policy: Policy, changes: dict) -> Policy:
    """Applies the changed values after the documents' bounds are checked (clean + database constraints)."""
    before = _policy_snapshot(Policy.objects.select_for_update().get(pk=policy.pk))
    for field, value in changes.items():
        setattr(policy, field, value)
    policy.full_clean()
    policy.save()
    audit_record(actor=actor, verb="policy.update", obj=policy, before=before, after=_policy_snapshot(policy))
    policy_saved.send(sender=Policy, policy=policy)
    return policy


# --- the institution's structure: faculties, departments, programmes, groups, attestation periods ---------------------


def _named(obj) -> str | None:
    """The row's own name when its model has one (not Django's «Model object (1)»)."""
    return str(obj) if type(obj).__str__ is not models.Model.__str__ else None


def structure_dependents(instance: models.Model) -> list[str]:
    """What depends on the row, one line per kind: «educational programmes (2): 6B06101 …, 6B06102 …»."""
    lines = []
    for relation in instance._meta.related_objects:
        related = relation.related_model._base_manager.filter(**{relation.field.name: instance})
        count = related.count()
        if not count:
            continue
        names = [n for n in (_named(obj) for obj in related[:3]) if n]
        more = "…" if count > len(names) and names else ""
        listing = f": {', '.join(names)}{more}" if names else ""
        lines.append(f"{relation.related_model._meta.verbose_name_plural} ({count}){listing}")
    return lines


def _snapshot(instance: models.Model) -> dict:
    return {k: str(v) for k, v in model_to_dict(instance).items()}


@transaction.atomic
def structure_save(*, actor, instance: models.Model) -> models.Model:
    """Creates or changes a faculty, department, programme, group, discipline or attestation period — or an
    institution, a staff or role row (checked with the model's full_clean, audited with before and after)."""
    label = instance._meta.model_name
    before = _snapshot(type(instance)._default_manager.get(pk=instance.pk)) if instance.pk else None
    instance.full_clean()
    instance.save()
    verb = f"{label}.update" if before else f"{label}.create"
    audit_record(actor=actor, verb=verb, obj=instance, before=before, after=_snapshot(instance))
    return instance


def structure_delete_problems(instance: models.Model) -> list[str]:
    """Why the row may not be deleted (an empty list when nothing depends on it)."""
    dependents = structure_dependents(instance)
    if not dependents:
        return []
    return [
        _("«%(row)s» cannot be deleted while these depend on it: %(what)s.")
        % {"row": instance, "what": "; ".join(dependents)}
    ]


@transaction.atomic
def structure_delete(*, actor, instance: models.Model) -> None:
    """Deletes the row only when nothing depends on it; otherwise says what does. Also deletes staff and role rows
    (head of department, registrar, institution administrator), which nothing depends on."""
    problems = structure_delete_problems(instance)
    if problems:
        raise ValidationError(problems)
    before = _snapshot(instance)
    audit_record(actor=actor, verb=f"{instance._meta.model_name}.delete", obj=instance, before=before)
    instance.delete()


# --- the institution itself, its staff and their roles (written in /admin/ through these) -----------------------------


@transaction.atomic
def institution_update(*, actor, instance: Institution) -> Institution:
    """Changes an institution's names, kind, time zone or site (checked, audited with before and after)."""
    structure_save(actor=actor, instance=instance)
    return instance


# A staff rule answers the reasons a staff row may not be saved as it is (one sentence each, naming the person);
# higher layers plug in here (appeals: administrative staff may not sit on an appeal commission, R8).
StaffRule = Callable[[Staff], list[str]]
_staff_rules: list[StaffRule] = []


def staff_rule(rule: StaffRule) -> StaffRule:
    _staff_rules.append(rule)
    return rule


def staff_check(staff: Staff) -> None:
    """The model's own checks, then every plugged-in staff rule."""
    staff.full_clean()
    problems = [problem for rule in _staff_rules for problem in rule(staff)]
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def staff_save(*, actor, instance: Staff) -> Staff:
    """Adds or changes a staff row after staff_check (audited with before and after)."""
    staff_check(instance)
    structure_save(actor=actor, instance=instance)
    return instance
