from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    review_lectures_on = forms.DateField(label=_("Review lectures start"), required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Programme (PDF or DOCX)"), required=False)
    question_list_file = forms.FileField(label=_("Question list (PDF or DOCX)"), required=False)

    def _document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            validate_upload(upload, allowed=("pdf", "docx"), max_bytes=DOCUMENT_MAX_BYTES)
        return upload

    def clean_file(self):
        return self._document("file")

    def clean_question_list_file(self):
        return self._document("question_list_file")


class QuestionForm(forms.Form):
    section = forms.CharField(label=_("Section / discipline"), max_length=255)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX: column A section, column B question"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed=("xlsx",), max_bytes=IMPORT_MAX_BYTES)
        return upload


class TicketGenerateForm(forms.Form):
    count = forms.IntegerField(label=_("Number of tickets"), min_value=1, max_value=200)
    per_ticket = forms.IntegerField(label=_("Questions per ticket"), min_value=1, max_value=10)
