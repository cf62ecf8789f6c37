from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from attestation.core import health


def ping(request):
    """The smallest view the stack serves: the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


def health_page(request):
    checks = {
        _("Database"): health.database_status(),
        _("Broker"): health.broker_status(),
        _("Worker"): health.worker_status(),
    }
    status = 200 if all(c["ok"] for c in checks.values()) else 503
    return render(request, "core/health.html", {"checks": checks}, status=status)


@require_POST
def set_language(request):
    """Django's language switch, and the choice remembered on the person for e-mails and the next device."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])  # a save: the cached copy of the person ends
    return django_set_language(request)
