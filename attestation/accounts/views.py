from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from attestation.accounts.permissions import can_invite_member
from attestation.accounts.services import invitation_accept, invitation_find, invitation_send
from attestation.core.actions import is_own_page, safe_next


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


@login_required
@require_POST
def invite_member(request, commission_pk: int, user_pk: int):
    """Sends (or re-sends) the invitation of a commission member; only to people on that commission."""
    from commissions.models import Commission, Membership

    commission = Commission.objects.filter(pk=commission_pk).first()
    if commission is None or not can_invite_member(request.user, commission):
        raise Http404
    membership = Membership.objects.select_related("user").filter(commission=commission, user_id=user_pk).first()
    if membership is None:
        raise Http404
    try:
        invitation_send(
            actor=request.user,
            user=membership.user,
            base_url=request.build_absolute_uri("/")[:-1],
            next_url=reverse("commissions:commission", args=[commission.pk]),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The invitation is sent to %(email)s.") % {"email": membership.user.email})
    return redirect(safe_next(request, fallback="home"))
