from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from appeals.models import Appeal, AppealCommission, AppealMember
from appeals.services import composition_problems


class MemberInlineFormSet(forms.BaseInlineFormSet):
    """The admin refuses an unlawful composition the same way the service does (R8), naming each person."""

    def clean(self):
        super().clean()
        members = [
            (f.cleaned_data["user"], f.cleaned_data.get("role"))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if self.instance.pk:
            problems = composition_problems(
                institution=self.instance.institution, commissions=self.instance.commissions.all(), members=members
            )
            if problems:
                raise ValidationError(problems)


class AppealMemberInline(admin.TabularInline):
    model = AppealMember
    formset = MemberInlineFormSet
    extra = 0
    raw_id_fields = ("user",)


@admin.register(AppealCommission)
class AppealCommissionAdmin(admin.ModelAdmin):
    list_display = ("name_kk", "institution", "academic_year", "order_number")
    inlines = [AppealMemberInline]


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("result", "state", "filed_at", "hearing_due_at", "outcome")
    list_filter = ("state", "outcome")
