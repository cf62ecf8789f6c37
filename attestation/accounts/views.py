from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.models import SingleSignOn
from attestation.accounts.services import invitation_accept, invitation_find, invitation_unusable
from attestation.accounts.single_sign_on import FIELDS, single_sign_on_for, single_sign_on_save, single_sign_ons_enabled
from attestation.core.actions import is_own_page
from attestation.institutions.models import Institution
from attestation.institutions.permissions import is_institution_admin


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


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=gettext_lazy("New password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise ValidationError(_("The two passwords differ."))
        return data


def accept_invitation(request, token: str):
    invitation = invitation_find(token=token)
    if invitation is None:
        context = {"invitation": invitation_unusable(token=token)}
        return render(request, "accounts/invitation_invalid.html", context, status=410)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            login(request, invitation.user, backend="attestation.accounts.backends.UsernameOrEmailBackend")
            messages.success(request, _("Welcome! Your password is set."))
            target = invitation.next_url
            return redirect(target if is_own_page(request, target) else "home")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited": invitation.user})


class SingleSignOnForm(forms.ModelForm):
    class Meta:
        model = SingleSignOn
        fields = [f for f in FIELDS if f != "client_secret"] + ["client_secret"]
        widgets = {"client_secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["client_secret"].required = False
            self.fields["client_secret"].help_text = _("Leave empty to keep the saved secret.")


@login_required
def single_sign_on_edit(request, pk: int):
    institution = get_object_or_404(Institution, pk=pk)
    if not is_institution_admin(request.user, institution.pk):
        raise Http404
    sso = single_sign_on_for(institution=institution)
    form = SingleSignOnForm(request.POST or None, instance=sso)
    if request.method == "POST" and form.is_valid():
        try:
            single_sign_on_save(actor=request.user, institution=institution, values=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The sign-in settings are saved."))
            return redirect("single_sign_on", pk=institution.pk)
    callback = request.build_absolute_uri(reverse("oidc_authentication_callback"))
    return render(
        request,
        "accounts/single_sign_on.html",
        {"institution": institution, "form": form, "callback": callback},
        status=400 if request.method == "POST" and form.errors else 200,
    )
