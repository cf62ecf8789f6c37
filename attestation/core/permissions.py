"""The one way a view checks a permission where the request enters: load the object and ask the app's predicate.

Each app's `permissions.py` holds the predicates (`can_prepare(user, commission)` …); views call them only through
`permitted_or_404`, so an object that does not exist and one the person may not see look the same (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def permitted_or_404(
    user: Any,
    queryset: models.QuerySet[M],
    check: Callable[[Any, Any], bool],
    *,
    via: Callable[[M], Any] | None = None,
    **lookup: Any,
) -> M:
    """The object matching `lookup` when `check(user, obj)` holds — or `check(user, via(obj))`, the object the
    permission is about (a step's commission) — and Http404 otherwise."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not check(user, via(obj) if via is not None else obj):
        raise Http404
    return obj
