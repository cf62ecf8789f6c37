from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal, AppealMember
from attestation.core.uploads import validate_upload

ATTACHMENT_TYPES = ("pdf", "jpg", "jpeg", "png", "docx")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A FileField that takes the list the multiple widget gives (a plain FileField calls it "no file")."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


class AppealForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why do you appeal the result?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, JPG, PNG, DOCX; up to 10 MB each)"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
    )

    def clean_attachments(self):
        files = self.files.getlist("attachments")
        if len(files) > 5:
            raise ValidationError(_("At most 5 attachments."))
        for upload in files:
            validate_upload(upload, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES)
        return files


class HearingForm(forms.Form):
    hearing_at = forms.DateTimeField(
        label=_("Hearing (date and time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    url = forms.URLField(label=_("Meeting link (Zoom, Webex, Teams)"), required=False)


class VoteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Your vote"), choices=Appeal.Outcome.choices, widget=forms.RadioSelect)
    points = forms.DecimalField(
        label=_("New points (if the grade changes)"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    note = forms.CharField(label=_("Reasons for the decision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AppealCommissionForm(forms.Form):
    """The order of the head of the institution appointing an appeal commission (R8)."""

    name_kk = forms.CharField(label=_("name (Kazakh)"), max_length=255)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=255)
    academic_year = forms.IntegerField(label=_("academic year (first calendar year)"), min_value=2000, max_value=2100)
    order_number = forms.CharField(label=_("order number"), max_length=50)
    order_date = forms.DateField(label=_("order date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    commissions = forms.ModelMultipleChoiceField(
        label=_("attestation commissions whose results it hears"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("chair"), queryset=None)
    members = forms.ModelMultipleChoiceField(label=_("members"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, commissions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissions"].queryset = commissions
        self.fields["chair"].queryset = people
        self.fields["members"].queryset = people
        for name in ("chair", "members"):
            self.fields[name].label_from_instance = lambda user: user.display_name

    def members_with_roles(self) -> list:
        chair = self.cleaned_data["chair"]
        others = [u for u in self.cleaned_data["members"] if u.pk != chair.pk]
        return [(chair, AppealMember.Role.CHAIR), *[(u, AppealMember.Role.MEMBER) for u in others]]
