"""A model's check constraints validated in one query.

Django's `Model.validate_constraints` (run by `full_clean`) checks each `CheckConstraint` with a query of its own,
inside a savepoint: three statements a constraint. A policy has 75 of them (every number's lawful range and the
documents' bounds, attestation/institutions/policy_limits.py), so each `full_clean` of a policy cost 225 statements,
two thirds of building a test world. `ChecksInOneQuery` selects every check constraint's condition as one column of
one query, with the same values Django binds, and raises the very errors Django raises (same messages, same codes,
the same constraints skipped when they name an excluded field). A database error, or a database that cannot select a
condition (Oracle), falls back to Django's own one-by-one checks.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def checks_held(instance, model, constraints: list[CheckConstraint], *, exclude, using) -> dict[str, bool] | None:
    """Whether each of `constraints` holds for `instance` (by name; one that names an excluded field holds, as in
    Django), in one query; None when the database cannot answer so."""
    connection = connections[using]
    if not connection.features.supports_comparing_boolean_expr:
        return None
    query = Query(None)
    for name, value in instance._get_field_expression_map(meta=model._meta, exclude=exclude).items():
        query.add_annotation(value if hasattr(value, "resolve_expression") else Value(value), name, select=False)
    held = {}
    for constraint in constraints:
        try:  # as Q.check: a condition that is NULL holds
            query.add_annotation(Coalesce(Q(constraint.condition), True, output_field=BooleanField()), constraint.name)
        except FieldError:
            held[constraint.name] = True  # names an excluded field: CheckConstraint.validate passes it too
    names = list(query.annotation_select)
    if not names:
        return held
    try:
        with transaction.atomic(using=using) if connection.in_atomic_block else nullcontext():
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return None
    return {**held, **{name: bool(value) for name, value in zip(names, row, strict=True)}}


class ChecksInOneQuery:
    """A model mixin: `validate_constraints` as Django's, its check constraints answered by one query."""

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, model_constraints in self.get_constraints():
            checks = [c for c in model_constraints if type(c) is CheckConstraint]
            held = checks_held(self, model_class, checks, exclude=exclude, using=using) if checks else {}
            for constraint in model_constraints:
                try:
                    if held is not None and constraint.name in held and type(constraint) is CheckConstraint:
                        if not held[constraint.name]:
                            raise ValidationError(
                                constraint.get_violation_error_message(), code=constraint.violation_error_code
                            )
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
