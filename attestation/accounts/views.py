from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.services import invitation_accept, invitation_find
from attestation.core.actions import is_own_page


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
        return render(request, "accounts/invitation_invalid.html", status=410)
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
