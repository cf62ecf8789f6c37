from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from attestation.core.uploads import validate_upload
from attestation.institutions.models import (
    AttestationPeriod,
    Department,
    Faculty,
    Group,
    Institution,
    Policy,
    Programme,
)
from attestation.institutions.policy_limits import POLICY_LIMITS, POLICY_RANGES
from attestation.workcal.models import CalendarOverride

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
            "testing_questions",
            "testing_minutes",
            "testing_results_warn_hours",
            "take_home_hours",
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
            "identification_by_id_system",
        ],
    ),
    (_("Staff"), ["staff_invitation_days"]),
]


class PolicyForm(forms.ModelForm):
    """The policy, in sections; each bounded value says its bound and the rule it comes from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, allowed in POLICY_RANGES.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.widget.attrs.update(min=allowed.low, max=allowed.high)
            help_text = _("from %(low)s to %(high)s") % {"low": allowed.low, "high": allowed.high}
            if name in POLICY_LIMITS:
                help_text = f"{help_text} · {POLICY_LIMITS[name].documents}"
            field.help_text = help_text

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


class PolicyYearForm(forms.Form):
    """A new academic year's policy, copied from the year shown."""

    academic_year = forms.IntegerField(
        label=_("New academic year (its first calendar year)"),
        min_value=POLICY_RANGES["academic_year"].low,
        max_value=POLICY_RANGES["academic_year"].high,
        help_text=_("2025 means the academic year 2025-2026."),
    )


class CalendarDayForm(forms.Form):
    """A day off or a working day of the institution; with a second date, a transfer as the decrees make them."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("The day becomes"), choices=CalendarOverride.Kind.choices)
    paired_day = forms.DateField(
        label=_("Transferred to or from (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A transfer: this date gets the opposite kind (a working Saturday for a day off moved to a Friday)."),
    )
    note = forms.CharField(label=_("Reason (decree, order)"), max_length=255, required=False)


class StudentImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file from the registrar's export"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"), max_bytes=IMPORT_MAX_BYTES)
        return upload


# --- the institution's structure ---------------------------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionScopedForm(forms.ModelForm):
    """A structure form whose choices are the institution's own rows only."""

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.institution = institution
        if hasattr(self.instance, "institution_id") and self.instance.institution_id is None:
            self.instance.institution = institution
        self.scope_choices()

    def scope_choices(self) -> None:
        """Each form narrows its foreign keys to the institution."""


class FacultyForm(InstitutionScopedForm):
    class Meta:
        model = Faculty
        fields = ["name_kk", "name_ru", "name_en"]


class DepartmentForm(InstitutionScopedForm):
    def scope_choices(self) -> None:
        self.fields["faculty"].queryset = Faculty.objects.filter(institution=self.institution)

    class Meta:
        model = Department
        fields = ["name_kk", "name_ru", "name_en", "faculty"]


class ProgrammeForm(InstitutionScopedForm):
    def scope_choices(self) -> None:
        self.fields["department"].queryset = Department.objects.filter(institution=self.institution)

    class Meta:
        model = Programme
        fields = ["code", "level", "name_kk", "name_ru", "name_en", "department", "arts_and_culture"]


class GroupForm(InstitutionScopedForm):
    def scope_choices(self) -> None:
        self.fields["programme"].queryset = Programme.objects.filter(department__institution=self.institution)

    class Meta:
        model = Group
        fields = ["name", "programme", "study_language"]


class PeriodForm(InstitutionScopedForm):
    class Meta:
        model = AttestationPeriod
        fields = ["kind", "academic_year", "name_kk", "name_ru", "name_en", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


@dataclass(frozen=True)
class StructureKind:
    """One kind of structure row: its model, form, how to reach its institution, and the page's titles."""

    model: type
    form: type
    institution_path: str  # the lookup from the row to its institution
    title: str
    add: str


STRUCTURE = {
    "faculty": StructureKind(Faculty, FacultyForm, "institution", _("Faculties / institutes"), _("Add a faculty")),
    "department": StructureKind(Department, DepartmentForm, "institution", _("Departments"), _("Add a department")),
    "programme": StructureKind(
        Programme,
        ProgrammeForm,
        "department__institution",
        _("Educational programmes"),
        _("Add a programme"),
    ),
    "group": StructureKind(Group, GroupForm, "programme__department__institution", _("Academic groups"), _("Add a group")),
    "period": StructureKind(AttestationPeriod, PeriodForm, "institution", _("Attestation periods"), _("Add a period")),
}
