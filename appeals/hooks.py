"""What the appeals app plugs into the layers below it (AppealsConfig.ready() imports this module)."""

from django.dispatch import receiver

from appeals import permissions
from appeals.models import Appeal
from appeals.services import appeal_window_open
from commissions.case_file import case_file_reader
from commissions.grading.signals import result_announced


@receiver(result_announced, dispatch_uid="appeals.open_window_on_announcement")
def open_window_on_announcement(sender, *, result, **kwargs) -> None:
    """An announced result can be appealed: its window's end becomes a deadline (R47)."""
    appeal_window_open(result=result)


@case_file_reader
def appeal_commission_reads_case_file(user, slot) -> bool:
    """The appeal commission (and the institution's administrator) hearing an appeal on the slot read its case file."""
    appeals = Appeal.objects.filter(result__slot=slot).select_related("appeal_commission")
    return any(permissions.can_see_case_file(user, appeal) for appeal in appeals)
