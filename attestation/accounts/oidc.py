"""Sign-in with an institution's own OpenID Connect provider (mozilla-django-oidc), one provider per institution.

The library's views and backend read their configuration through `get_settings`; here the provider-specific keys
come from the institution's `SingleSignOn` row chosen at the start of the sign-in (kept in the session), the rest
from settings. A person is matched to an existing account of that institution; nobody is created.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from attestation.accounts.backends import CachedUserMixin
from attestation.accounts.models import SingleSignOn
from attestation.institutions.models import Institution
from attestation.institutions.permissions import belongs_to_institution

SESSION_KEY = "oidc_single_sign_on"
FROM_PROVIDER = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_RP_CLIENT_ID": "client_id",
    "OIDC_RP_CLIENT_SECRET": "client_secret",
    "OIDC_RP_SCOPES": "scopes",
}
FIXED = {"OIDC_RP_SIGN_ALGO": "RS256", "OIDC_CREATE_USER": False, "OIDC_USE_PKCE": True}


class _ProviderSettings:
    """`get_settings` answered from the chosen provider (None before one is chosen) and from settings."""

    provider: SingleSignOn | None = None

    def get_settings(self, attr, *args):
        if attr in FROM_PROVIDER:
            return getattr(self.provider, FROM_PROVIDER[attr]) if self.provider else (args[0] if args else "")
        if attr in FIXED and self.provider is not None:
            return FIXED[attr]
        return import_from_settings(attr, *args)


def _provider_from_session(request) -> SingleSignOn | None:
    pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    return SingleSignOn.objects.select_related("institution").filter(pk=pk, enabled=True).first() if pk else None


class InstitutionOIDCBackend(CachedUserMixin, _ProviderSettings, OIDCAuthenticationBackend):
    """The code flow's callback: checks the ID token, then finds the person's existing account."""

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET:
            return None
        self.provider = _provider_from_session(request)
        if self.provider is None:
            return None
        self.__init__()  # re-read the provider's endpoints and client through get_settings
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims) -> bool:
        if self.provider.match_by == SingleSignOn.Match.EMAIL:
            return bool(claims.get("email")) and claims.get("email_verified") is True
        return bool(claims.get(self.provider.iin_claim))

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(is_active=True)
        if self.provider.match_by == SingleSignOn.Match.EMAIL:
            users = users.filter(email__iexact=claims["email"])
        else:
            users = users.filter(Q(student__iin=str(claims[self.provider.iin_claim])))
        return [u for u in users if belongs_to_institution(u, self.provider.institution)]

    def update_user(self, user, claims):
        return user  # the provider's claims never change the portal's account

    def create_user(self, claims):
        raise SuspiciousOperation("accounts are not created from a provider's claims")


class SignOnStartView(_ProviderSettings, OIDCAuthenticationRequestView):
    """/accounts/sso/<institution>/: remembers the chosen provider, then sends the person to it."""

    def get(self, request, short_name: str):
        institution = Institution.objects.filter(short_name=short_name).first()
        self.provider = SingleSignOn.objects.filter(institution=institution, enabled=True).first()
        if self.provider is None:
            raise Http404
        request.session[SESSION_KEY] = self.provider.pk
        self.OIDC_OP_AUTH_ENDPOINT = self.provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        return super().get(request)


class SignOnCallbackView(_ProviderSettings, OIDCAuthenticationCallbackView):
    """The provider sends the person back here; a person without an account of the institution is told so."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "The institution's sign-in did not find your portal account. Ask the institution's administrator to "
                "add your e-mail or IIN, or log in with your portal password."
            ),
        )
        return super().login_failure()
