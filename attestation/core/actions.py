"""The one way a view runs a service: show its message, go back — and only ever back to a page of this site.

`run_and_return` is the whole "POST, call the service, flash the outcome, redirect" dance; `run_service` is its
middle for views that render instead of redirecting; `form_apply` turns a service's refusal into a form's errors for
views that re-render the form. `safe_next` is the only reader of a `next` field: like healthchecks it accepts a URL
only when Django calls it safe for this host *and* its path resolves to one of our own URL patterns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

NEXT_FIELD = "next"


def is_own_page(request: HttpRequest, url: str | None) -> bool:
    """True for a relative URL of this site whose path is one of our URL patterns; never another host."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return False  # no hosts allowed: absolute (https://…), scheme-relative (//…) and \\… forms all fail here
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return False
    try:
        resolve(parts.path)
    except Resolver404:
        return False
    return True


def safe_next(request: HttpRequest, *, fallback: str, **fallback_kwargs: Any) -> str:
    """The POSTed (or queried) `next` when it is a page of this site, else the fallback (a URL name or a path)."""
    target = request.POST.get(NEXT_FIELD) or request.GET.get(NEXT_FIELD)
    if is_own_page(request, target):
        return str(target)
    return resolve_url(fallback, **fallback_kwargs)


def form_errors_to_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """An invalid form on a page that shows no form: each error becomes a message, led by its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}: {text}" if label else text)


def run_service(request: HttpRequest, call: Callable[[], object], done: str = "") -> bool:
    """Calls a service; its refusal (ValidationError) becomes an error message, never a 500. True when it ran."""
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if done:
        messages.success(request, str(done))
    return True


def run_and_return(
    request: HttpRequest,
    call: Callable[..., object],
    *,
    done: str,
    fallback: str,
    form: forms.BaseForm | None = None,
    **fallback_kwargs: Any,
) -> HttpResponseRedirect:
    """Run the service (with the form's cleaned data when a form is given), show its message, go back."""
    if form is None:
        run_service(request, call, done)
    elif form.is_valid():
        run_service(request, lambda: call(form.cleaned_data), done)
    else:
        form_errors_to_messages(request, form)
    return redirect(safe_next(request, fallback=fallback, **fallback_kwargs))


def form_apply(form: forms.BaseForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Runs a service for a valid form; its ValidationError becomes the form's errors. True when it ran."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True
