"""The shared way views call permission functions: one decorator, 404 for outsiders, 403 for read-only."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def require(predicate, *, deny=PermissionDenied):
    """Wraps a view taking `request` and kwargs; `predicate(user, **kwargs)` must hold."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user, **kwargs):
                raise deny
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
