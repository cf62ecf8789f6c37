from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.institutions.models import Student
from exams.yearend.models import Transfer


class TransferForm(forms.Form):
    recipient = forms.ChoiceField(label=_("recipient"), choices=Transfer.Recipient.choices)
    addressee = forms.CharField(label=_("sent to (name or e-mail)"), max_length=255)


class DiplomaRequestForm(forms.Form):
    order_number = forms.CharField(label=_("degree order number"), max_length=50)
    order_date = forms.DateField(label=_("degree order date"), widget=forms.DateInput(attrs={"type": "date"}))


class AccommodationForm(forms.Form):
    student = forms.ModelChoiceField(label=_("student"), queryset=Student.objects.none())
    extra_minutes = forms.IntegerField(label=_("extra time, minutes"), min_value=0, max_value=240, initial=0)
    extra_percent = forms.IntegerField(
        label=_("extra time, per cent of the timed part"), min_value=0, max_value=100, initial=0
    )
    written_instead_of_oral = forms.BooleanField(label=_("a written form instead of an oral one"), required=False)
    device_loan = forms.CharField(label=_("device on loan"), max_length=255, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Student.objects.filter(group__programme__department=department)
