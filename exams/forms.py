from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload
from attestation.institutions.policy_limits import POLICY_RANGES
from exams.models import TEST_FIELDS, ExamSettings

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    review_lectures_on = forms.DateField(
        label=_("Review lectures start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
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


class ExamSettingsForm(forms.ModelForm):
    class Meta:
        model = ExamSettings
        fields = (
            "exam_format",
            "questions_per_ticket",
            "tickets_with_replacement",
            "upload_grace_minutes",
            "answer_sheet_max_mb",
            "test_questions",
            "test_minutes",
            "test_url",
            "test_modules",
        )
        widgets = {"exam_format": forms.RadioSelect, "test_modules": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, policy, locked: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for name in locked:  # fixed once a ticket is drawn: shown, not posted
            self.fields[name].disabled = True
        bounds = {"questions_per_ticket": (1, 10), "upload_grace_minutes": (0, 30), "answer_sheet_max_mb": (1, 25)}
        for policy_field, name in TEST_FIELDS.items():  # the policy's lawful range; empty keeps the policy's value
            limit = POLICY_RANGES[policy_field]
            bounds[name] = (int(limit.low), int(limit.high))
            self.fields[name].help_text = _("Empty: the policy's value, %(n)s.") % {"n": getattr(policy, policy_field)}
        for name, (low, high) in bounds.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update(min=low, max=high)


class TicketImportForm(forms.Form):
    file = forms.FileField(label=_("Tickets file (XLSX or CSV)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload


class TestScoreForm(forms.Form):
    correct = forms.IntegerField(label=_("Correct answers"), min_value=0, max_value=1000)


class TestScoreImportForm(forms.Form):
    file = forms.FileField(label=_("The testing system's results (XLSX or CSV): column A the IIN, column B correct answers"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload
