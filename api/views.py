"""The institution administrator's page for API tokens: issue (the secret is shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api import selectors, services
from api.forms import TokenForm
from api.models import ApiToken
from api.permissions import can_manage_tokens
from attestation.core.permissions import permitted_or_404
from attestation.institutions.models import Institution


@never_cache
@login_required
def tokens(request, pk: int):
    institution = permitted_or_404(request.user, Institution.objects.all(), can_manage_tokens, pk=pk)
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(
                actor=request.user,
                institution=institution,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "institution": institution,
            "form": form,
            "secret": secret,
            "tokens": selectors.tokens_for_institution(institution=institution),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@require_POST
@login_required
def token_revoke(request, pk: int, token_pk: int):
    institution = permitted_or_404(request.user, Institution.objects.all(), can_manage_tokens, pk=pk)
    try:
        token = selectors.token_get(institution=institution, pk=token_pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    services.token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token %(name)s is revoked; calls with it are refused from now on.") % {"name": token.name}
    )
    return redirect("api:tokens", pk=institution.pk)
