"""What admission plugs into the layers below it (AdmissionConfig.ready() imports this module)."""

from commissions.extensions import scheduling_rule
from exams.admission.services import admission_refusal

# Only students admitted to the defense are placed in a defense sitting (R16).
scheduling_rule(admission_refusal)
