from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from attestation.core import health
from attestation.core.roles import roles_for


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or e-mail")


class PortalLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    roles = roles_for(request.user)
    notifications = request.user.notifications.all()[:5]
    return render(request, "core/home.html", {"my_roles": roles, "notifications": notifications})


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
