"""The staff page (invite, re-send, revoke) and the invitation link's page."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from attestation.accounts import staff_invitations as service
from attestation.accounts.models import StaffInvitation
from attestation.accounts.single_sign_on import single_sign_on_for
from attestation.accounts.views import SetPasswordForm
from attestation.core.actions import form_apply, run_service
from attestation.institutions import permissions
from attestation.institutions.models import STAFF_ROLES, Department, Institution, Staff
from attestation.institutions.policies import academic_year_of


class StaffInviteForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=gettext_lazy("roles"), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = StaffInvitation
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "email",
            "position",
            "department",
            "roles",
            "is_administrative",
            "language",
        ]
        widgets = {"language": forms.Select(choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")])}

    def __init__(self, *args, user, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(institution=institution)
        if not permissions.is_institution_admin(user, institution.pk):
            departments = departments.filter(heads__user=user)
            self.fields["department"].required = True
        self.fields["department"].queryset = departments
        self.fields["roles"].choices = [
            (key, label) for key, label in STAFF_ROLES.items() if permissions.can_grant_staff_role(user, institution, key)
        ]


class InstitutionOpenForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Institution.Kind.choices)
    name_kk = forms.CharField(label=gettext_lazy("name (Kazakh)"), max_length=255)
    name_ru = forms.CharField(label=gettext_lazy("name (Russian)"), max_length=255)
    short_name = forms.CharField(label=gettext_lazy("short name"), max_length=50)
    time_zone = forms.ChoiceField(label=gettext_lazy("time zone"), choices=Institution._meta.get_field("time_zone").choices)
    academic_year = forms.IntegerField(
        label=gettext_lazy("academic year (first calendar year)"), min_value=2000, max_value=2100
    )
    admin_last_name = forms.CharField(label=gettext_lazy("administrator's surname"), max_length=150)
    admin_first_name = forms.CharField(label=gettext_lazy("administrator's first name"), max_length=150)
    admin_email = forms.EmailField(label=gettext_lazy("administrator's e-mail"))


@login_required
def institution_new(request):
    """The platform operator opens an institution and invites its first administrator."""
    if not permissions.can_create_institution(request.user):
        raise Http404
    today = timezone.localdate()
    initial = {"academic_year": academic_year_of(today), "time_zone": "Asia/Almaty"}
    form = InstitutionOpenForm(request.POST or None, initial=initial)
    base_url = request.build_absolute_uri("/")[:-1]
    opened = []

    def open_it(data):
        admin = {k: data.pop(k) for k in ("admin_email", "admin_last_name", "admin_first_name")}
        opened.append(service.institution_open(actor=request.user, institution_values=data, base_url=base_url, **admin))

    if request.method == "POST" and form_apply(form, open_it):
        institution, _link = opened[0]
        messages.success(
            request,
            _("%(name)s is open; its administrator is invited by e-mail.") % {"name": institution.name},
        )
        return redirect("staff", pk=institution.pk)
    return render(request, "accounts/institution_new.html", {"form": form}, status=400 if form.errors else 200)


def _institution_for_staff(user, pk: int) -> Institution:
    institution = Institution.objects.filter(pk=pk).first()
    if institution is None or not permissions.can_invite_staff(user, institution):
        raise Http404
    return institution


def _scoped(qs, user, institution: Institution):
    """The administrator sees the whole institution; a head of department their departments."""
    if permissions.is_institution_admin(user, institution.pk):
        return qs
    return qs.filter(department__heads__user=user)


@login_required
def staff_page(request, pk: int):
    institution = _institution_for_staff(request.user, pk)
    form = StaffInviteForm(request.POST or None, user=request.user, institution=institution)
    base_url = request.build_absolute_uri("/")[:-1]

    def invite(data):
        return service.staff_invite(actor=request.user, institution=institution, base_url=base_url, **data)

    if request.method == "POST" and form_apply(form, invite):
        messages.success(request, _("The invitation is sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("staff", pk=institution.pk)
    staff = _scoped(Staff.objects.filter(institution=institution), request.user, institution)
    invitations = _scoped(StaffInvitation.objects.filter(institution=institution), request.user, institution)
    context = {
        "institution": institution,
        "form": form,
        "staff": staff.select_related("user", "department").order_by("user__last_name", "user__first_name"),
        "invitations": invitations.filter(used_at__isnull=True).select_related("department"),
        "now": timezone.now(),
        "role_names": STAFF_ROLES,
    }
    return render(request, "accounts/staff.html", context, status=400 if form.errors else 200)


def _invitation_for(user, pk: int) -> StaffInvitation:
    invitation = StaffInvitation.objects.select_related("institution").filter(pk=pk).first()
    if invitation is None or not permissions.can_manage_staff_invitation(user, invitation):
        raise Http404
    return invitation


@login_required
@require_POST
def staff_invitation_resend(request, pk: int):
    invitation = _invitation_for(request.user, pk)
    base_url = request.build_absolute_uri("/")[:-1]
    run_service(
        request,
        lambda: service.staff_invitation_resend(actor=request.user, invitation=invitation, base_url=base_url),
        _("A new link is sent to %(email)s; the old one no longer works.") % {"email": invitation.email},
    )
    return redirect("staff", pk=invitation.institution_id)


@login_required
@require_POST
def staff_invitation_revoke(request, pk: int):
    invitation = _invitation_for(request.user, pk)
    run_service(
        request,
        lambda: service.staff_invitation_revoke(actor=request.user, invitation=invitation),
        _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
    )
    return redirect("staff", pk=invitation.institution_id)


def accept_staff_invitation(request, token: str):
    """The e-mailed link: set a password, or sign in with the institution's accounts; a used, withdrawn or expired
    link says which."""
    invitation = service.staff_invitation_by_token(token=token)
    state = invitation.state(timezone.now()) if invitation else "unknown"
    if invitation is None or state != "open":
        return render(
            request, "accounts/staff_invitation_invalid.html", {"invitation": invitation, "state": state}, status=410
        )
    sso = single_sign_on_for(institution=invitation.institution)
    account = service.staff_invitation_account(invitation)
    has_password = bool(account and account.has_usable_password())
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST":
        with_sso = "sso" in request.POST and sso.enabled
        if with_sso or has_password or form.is_valid():
            password = None if (with_sso or has_password) else form.cleaned_data["password1"]
            try:
                invitation = service.staff_invitation_accept(token=token, password=password, signed_in=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if with_sso:
                    return redirect("oidc_start", short_name=invitation.institution.short_name)
                if not has_password:
                    login(request, invitation.user, backend="attestation.accounts.backends.UsernameOrEmailBackend")
                messages.success(request, _("Welcome! Your roles are given."))
                return redirect("home")
    context = {"invitation": invitation, "form": form, "sso": sso if sso.enabled else None, "has_password": has_password}
    context["roles"] = [STAFF_ROLES[r] for r in invitation.roles]
    context["login_url"] = f"{reverse('login')}?next={request.path}"
    return render(request, "accounts/accept_staff_invitation.html", context, status=400 if form.errors else 200)
