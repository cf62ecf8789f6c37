from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload
from attestation.institutions.models import Policy

IMPORT_MAX_BYTES = 10 * 1024 * 1024


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            f.name for f in Policy._meta.get_fields()
            if f.concrete and f.editable and f.name not in ("id", "institution", "academic_year")
        ]
        widgets = {"cutoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StudentImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file from the registrar's export"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload
