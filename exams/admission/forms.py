from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from attestation.grading.scale import INCOMPLETE, Scale
from exams.admission.models import ClearanceLine, Conclusion, Thesis
from exams.admission.services import PAPER_MAX_BYTES, validate_paper


class ThesisForm(forms.ModelForm):
    class Meta:
        model = Thesis
        fields = [
            "topic_kk",
            "topic_ru",
            "topic_en",
            "language",
            "supervisor",
            "reviewer",
            "reviewer_name",
            "reviewer_degree",
            "reviewer_workplace",
            "reviewer_position",
        ]

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(staff_posts__institution=institution).distinct().order_by("last_name")
        self.fields["supervisor"].queryset = staff
        self.fields["reviewer"].queryset = (
            get_user_model().objects.filter(staff_posts__isnull=False).distinct().order_by("last_name")
        )
        for name in ("supervisor", "reviewer"):
            self.fields[name].label_from_instance = lambda u: u.display_name

    def clean(self):
        data = super().clean()
        if not data.get("reviewer") and not data.get("reviewer_name"):
            raise ValidationError(_("Name the external reviewer: choose a portal user or write the name."))
        return data


class FileForm(forms.Form):
    file = forms.FileField(label=_("File (PDF or DOCX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_paper(upload)
        return upload


class CertificateForm(forms.Form):
    file = forms.FileField(label=_("Supervisor's certificate of the plagiarism check (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_paper(upload, allowed=("pdf",), max_bytes=PAPER_MAX_BYTES)
        return upload


class FormattingForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Formatting check"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("passed")), ("no", _("failed"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlagiarismCheckForm(forms.Form):
    system_name = forms.CharField(label=_("System"), initial="Антиплагиат.ВУЗ", max_length=100)
    checked_on = forms.DateField(label=_("Date of the check"), widget=forms.DateInput(attrs={"type": "date"}))
    similarity = forms.DecimalField(label=_("Similarity, %"), min_value=0, max_value=100, decimal_places=2)
    originality = forms.DecimalField(label=_("Originality, %"), min_value=0, max_value=100, decimal_places=2)
    passed = forms.BooleanField(label=_("The check is passed"), required=False)
    paid = forms.BooleanField(label=_("Paid check"), required=False)
    report = forms.FileField(label=_("Report (PDF)"), required=False)


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices, widget=forms.RadioSelect)
    letter = forms.ChoiceField(label=_("Letter grade"), required=False)
    text = forms.CharField(label=_("Text of the review"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label=_("Or the file of the review (PDF/DOCX)"), required=False)

    def __init__(self, *args, external: bool, institution_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        if external:
            letters = [b.letter for b in Scale.for_institution(institution_id).numeric if b.letter != INCOMPLETE]
            self.fields["letter"].choices = [("", "—"), *[(x, x) for x in letters]]
            self.fields["letter"].required = True
        else:
            del self.fields["letter"]


class ClearanceForm(forms.Form):
    line = forms.ChoiceField(choices=ClearanceLine.Line.choices, widget=forms.HiddenInput)
    cleared = forms.TypedChoiceField(
        label=_("State"), coerce=lambda v: v == "yes", choices=[("yes", _("cleared")), ("no", _("not cleared"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ProcedureForm(forms.Form):
    file = forms.FileField(label=_("Procedure document (PDF)"))
    attestation_starts = forms.DateField(label=_("Final attestation starts"), widget=forms.DateInput(attrs={"type": "date"}))
