"""What the appeals app plugs into the layers below it (AppealsConfig.ready() imports this module)."""

from django.dispatch import receiver

from appeals.services import appeal_window_open
from commissions.grading.signals import result_announced


@receiver(result_announced, dispatch_uid="appeals.open_window_on_announcement")
def open_window_on_announcement(sender, *, result, **kwargs) -> None:
    """An announced result can be appealed: its window's end becomes a deadline (R47)."""
    appeal_window_open(result=result)
