"""Background work of the year end: packing a transfer (the archive's summary vedomosti are rendered here)."""

from celery import shared_task

from exams.yearend.services import transfer_pack


@shared_task(name="exams.yearend.tasks.transfer_pack_task")
def transfer_pack_task(transfer_pk: int) -> None:
    transfer_pack(transfer_pk=transfer_pk)
