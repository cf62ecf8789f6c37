from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload
from attestation.institutions.models import Policy
from attestation.institutions.policy_limits import POLICY_LIMITS

IMPORT_MAX_BYTES = 10 * 1024 * 1024


POLICY_SECTIONS = [
    (_("Defense"), ["defense_total_minutes", "speech_min_minutes", "speech_max_minutes", "defense_questions_max"]),
    (
        _("Sittings and exams"),
        [
            "sitting_max_hours",
            "identification_minutes_before",
            "written_exam_academic_hours",
            "academic_hour_minutes",
            "oral_questioning_delay_minutes",
            "written_grading_hours",
            "written_questions_max",
            "slot_minutes",
            "sitting_day_start",
            "sitting_day_end",
            "break_minutes",
            "break_after_minutes",
            "reminder_days_before",
            "recording_retention_days",
        ],
    ),
    (
        _("Grades and votes"),
        [
            "quorum_numerator",
            "quorum_denominator",
            "degree_vote_mode",
            "commission_grade_rule",
            "public_results",
            "cutoff_date",
            "i_grade_cutoff_action",
        ],
    ),
    (_("Honours diploma"), ["honours_min_gpa", "honours_min_discipline_gpa", "honours_min_attestation_gpa"]),
    (_("Appeals"), ["appeal_window_working_days", "appeal_hearing_working_days", "appeal_answer_working_days"]),
    (
        _("Admission and preparation"),
        [
            "documents_due_days_before",
            "thesis_pdf_days_before",
            "plagiarism_max_checks",
            "acquaintance_working_days",
            "webinar_min_working_days",
            "webinar_max_working_days",
            "commission_approval_months",
            "programme_approval_months",
            "programme_handover_months",
            "recordings_publish_days_before",
            "preparation_reminder_working_days",
            "portfolio_days",
            "portfolio_id_copies",
            "thesis_advisers_may_not_grade",
        ],
    ),
]


class PolicyForm(forms.ModelForm):
    """The policy, in sections; each bounded value says its bound and the rule it comes from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in POLICY_LIMITS.items():
            text = _("at least %(bound)s") if limit.kind == "min" else _("at most %(bound)s")
            self.fields[name].help_text = f"{text % {'bound': limit.bound}} · {limit.source}"

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in POLICY_SECTIONS]

    class Meta:
        model = Policy
        fields = [
            f.name
            for f in Policy._meta.get_fields()
            if f.concrete and f.editable and f.name not in ("id", "institution", "academic_year")
        ]
        widgets = {
            "cutoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sitting_day_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "sitting_day_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class StudentImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file from the registrar's export"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload
