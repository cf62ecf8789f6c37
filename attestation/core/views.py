from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.validators import MaxLengthValidator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from attestation.accounts.single_sign_on import single_sign_ons_enabled
from attestation.core import health


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")
        # Django sets max_length here without a validator: a huge name reached authenticate() and the lockout's
        # varchar(255) log (a 500). An e-mail address is at most 254 characters.
        self.fields["username"].max_length = 254
        self.fields["username"].validators.append(MaxLengthValidator(254))


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "single_sign_ons": single_sign_ons_enabled()}


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
    from django.views.i18n import set_language as django_set_language

    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=request.user.pk).update(preferred_language=language)
    return django_set_language(request)
