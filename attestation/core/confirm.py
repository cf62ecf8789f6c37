"""What cannot be undone is done only once the person has said yes — with or without JavaScript.

The button carries its question (`data-confirm`); `static/js/confirm.js` asks it in the browser and, on yes, adds
the field `confirmed=1` to the form. A POST without that field (JavaScript off, blocked or not loaded yet, or a form
sent by hand) is answered with the same question as a page: the form's own fields again, and a "Yes" button that
sends them with `confirmed=1`. So the first click alone never marks a student absent, stops or finishes an
attestation, records a one-time grade or ballot, or announces results.

A view calls `ask_first` after its permission checks (a refusal stays a refusal) and before its service.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED_FIELD = "confirmed"
_NOT_REPEATED = {"csrfmiddlewaretoken", CONFIRMED_FIELD}


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED_FIELD) == "1"


def ask_first(
    request: HttpRequest, *, question: str, back: str, details: Sequence[str] = (), yes: str = ""
) -> HttpResponse | None:
    """None when the person has confirmed; else the page that asks `question` (with `details` listed, e.g. the
    students left out) and sends the same fields again on yes. `back` is the page "Cancel" returns to."""
    if is_confirmed(request):
        return None
    fields = [(name, value) for name, values in request.POST.lists() if name not in _NOT_REPEATED for value in values]
    context = {"question": question, "details": list(details), "fields": fields, "back": back, "yes": yes}
    return render(request, "core/confirm.html", context)
