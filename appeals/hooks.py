"""What the appeals app plugs into the layers below it (AppealsConfig.ready() imports this module)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from appeals import permissions
from appeals.models import Appeal, AppealCommission
from appeals.services import appeal_window_open
from attestation.institutions.models import Staff
from attestation.institutions.services import staff_rule
from commissions.case_file import case_file_reader
from commissions.grading.signals import result_announced


@receiver(result_announced, dispatch_uid="appeals.open_window_on_announcement")
def open_window_on_announcement(sender, *, result, **kwargs) -> None:
    """An announced result can be appealed: its window's end becomes a deadline (R47)."""
    appeal_window_open(result=result)


@case_file_reader
def appeal_commission_reads_case_file(user, slot) -> bool:
    """The members of the appeal commission hearing an appeal on the slot open its records (R48); no one else gains
    access to answer sheets or videos through an appeal (R9)."""
    commissions = Appeal.objects.filter(result__slot=slot).values_list("appeal_commission_id", flat=True)
    return any(permissions.is_appeal_member(user, pk) for pk in commissions)


@staff_rule
def administrative_staff_sit_on_no_appeal_commission(staff: Staff) -> list[str]:
    """A person on an appeal commission of the institution cannot be made administrative staff (R8): the same
    rule the composition check applies when the commission is formed."""
    if not staff.is_administrative:
        return []
    sitting_on = AppealCommission.objects.filter(institution_id=staff.institution_id, members__user_id=staff.user_id)
    return [
        _("%(person)s sits on the appeal commission «%(commission)s»: administrative staff may not sit on one.")
        % {"person": staff.user, "commission": commission}
        for commission in sitting_on
    ]
